import { describe, expect, it } from 'vitest';
import { Template } from '@crdb-ory/core/testing';
import { policyNamed, synthBackup } from './synth';

// Multi-region backups (issue 24): the primary's backup stack replicates to the secondary's bucket.
const REPLICA = { region: 'us-east-2', stackName: 'cockroach-backup-us-east-2' };
const replicaOutput = (name: string) => `\${data.terraform_remote_state.remote-state-cockroach-backup-us-east-2.outputs.${name}}`;
const REPLICA_BUCKET = replicaOutput('bucket_arn');
const REPLICA_KEY = replicaOutput('kms_key_arn');
const json = synthBackup({ replicateTo: REPLICA });
const bucket = Template.fromJSON(json).only('aws_s3_bucket', 'backups_bucket_').address;
const sourceKey = `\${${Template.fromJSON(json).only('aws_kms_key', 'backups_kms-key_').address}.arn}`;

describe('cockroach-backup stack: replication to another region (replicateTo)', () => {
  it('replicates every backup under clusters/ to the replica bucket, encrypted there with its own key; delete markers stay behind', () => {
    // The replica stack's bucket and key, read through its outputs contract (remote state).
    expect(json.data.terraform_remote_state['remote-state-cockroach-backup-us-east-2'].config).toEqual({ path: '../../../terraform.cockroach-backup-us-east-2.tfstate' });
    const replication = Template.fromJSON(json).only('aws_s3_bucket_replication_configuration', 'replication_configuration_');
    expect(replication.config.bucket).toBe(`\${${bucket}.id}`);
    expect(replication.config.depends_on).toEqual([Template.fromJSON(json).only('aws_s3_bucket_versioning', 'backups_versioning_').address]);
    expect(replication.config.rule).toEqual([
      {
        id: 'backups-to-us-east-2',
        status: 'Enabled',
        priority: 1,
        filter: { prefix: 'clusters/' },
        delete_marker_replication: { status: 'Disabled' },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
        destination: { bucket: REPLICA_BUCKET, encryption_configuration: { replica_kms_key_id: REPLICA_KEY } },
      },
    ]);
  });

  it('replicates with a role S3 assumes for this bucket only, allowed exactly the replication actions and each key through S3 in its region', () => {
    const role = Template.fromJSON(json).only('aws_iam_role', 'replication_role_').config;
    expect(role.name).toBe('crdb-ory-cockroach-backup-replication');
    expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: ['sts:AssumeRole'], Condition: { ArnLike: { 'aws:SourceArn': [`\${${bucket}.arn}`] } } },
    ]);
    const statements = policyNamed(json, 'aws_iam_role_policy', 'replication_policy_');
    const source = `\${${bucket}.arn}`;
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [['s3:GetReplicationConfiguration', 's3:ListBucket'], [source]],
      [['s3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'], [`${source}/clusters/*`]],
      [['s3:ReplicateObject', 's3:ReplicateTags'], [`${REPLICA_BUCKET}/clusters/*`]],
      [['kms:Decrypt'], [sourceKey]],
      [['kms:Encrypt'], [REPLICA_KEY]],
    ]);
    expect(statements[3]?.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [source, `${source}/clusters/*`] } });
    expect(statements[4]?.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['s3.us-east-2.amazonaws.com'] }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [REPLICA_BUCKET, `${REPLICA_BUCKET}/clusters/*`] } });
    expect(statements.flatMap((s) => s.Action)).not.toContain('s3:ReplicateDelete');
  });

  it('is opt-in: without replicateTo no replication, role or policy exists', () => {
    const plain = synthBackup();
    expect(plain.resource.aws_s3_bucket_replication_configuration).toBeUndefined();
    expect(plain.resource.aws_iam_role).toBeUndefined();
    expect(Object.keys(plain.data.terraform_remote_state ?? {})).not.toContain('remote-state-cockroach-backup-us-east-2');
  });

  it('refuses a replica in the bucket\'s own region or a region that is no region, naming the setting', () => {
    expect(() => synthBackup({ replicateTo: { ...REPLICA, region: 'us-east-1' } })).toThrow(/replicateTo.region = "us-east-1": is the backup bucket's own region/);
    expect(() => synthBackup({ replicateTo: { ...REPLICA, region: 'east' } })).toThrow(/replicateTo.region = "east": allowed is an AWS region/);
    expect(() => synthBackup({ replicateTo: REPLICA, objectLock: { mode: 'GOVERNANCE', days: 7 } })).toThrow(/replicateTo = "us-east-2": cannot be combined with objectLock/);
  });

  it('the replica region\'s stack: its own stack name and outputs contract, the same bucket defaults in its region', () => {
    const replica = synthBackup({ stackNames: { 'cockroach-backup': 'cockroach-backup-us-east-2' }, region: 'us-east-2', staleBackupAlarmHours: false });
    expect(replica.terraform.backend.local.path).toBe('../../../terraform.cockroach-backup-us-east-2.tfstate');
    expect(Object.keys(replica.output).sort()).toEqual(['bucket_arn', 'bucket_name', 'kms_key_arn']);
    expect(Template.fromJSON(replica).only('aws_s3_bucket_versioning', 'backups_versioning_').config.versioning_configuration).toEqual({ status: 'Enabled' });
    expect(Template.fromJSON(replica).only('aws_s3_bucket_lifecycle_configuration', 'backups_retention_').config.rule).toEqual(Template.fromJSON(synthBackup()).only('aws_s3_bucket_lifecycle_configuration', 'backups_retention_').config.rule);
    expect(replica.provider.aws[0].region).toBe('us-east-2');
  });
});

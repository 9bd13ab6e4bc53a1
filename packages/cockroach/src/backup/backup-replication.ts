import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { IamStatement, PropProblem, awsDnsSuffixOf, iamPolicyJson, productRole, isAwsRegionName, serviceTrust } from '@crdb-ory/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { BACKUP_COLLECTIONS_PREFIX } from './backup-schedule';

/**
 * The bucket backups are copied to: another region's backup bucket (a `CockroachBackupStack` placed
 * in that region, read through its outputs contract), versioned and encrypted with a KMS key of its
 * own region.
 */
export interface BackupReplicaTarget {
  /** The replica region (a literal: it names the rule and the role's KMS condition). */
  readonly region: string;
  readonly bucketArn: string;
  /** The replica bucket's KMS key (in `region`): S3 encrypts the replicas with it. */
  readonly kmsKeyArn: string;
}

export interface BackupReplicationProps {
  /** Name of the replication role (IAM names are per account: derive it from the name prefix). */
  readonly roleName: string;
  /** The source bucket: its id (name) and ARN. */
  readonly sourceBucket: string;
  readonly sourceBucketArn: string;
  /** The source bucket's KMS key and region. */
  readonly sourceKmsKeyArn: string;
  readonly sourceRegion: string;
  /** S3 requires versioning on the source before a replication configuration (the versioning resource). */
  readonly sourceVersioning: ITerraformDependable;
  readonly target: BackupReplicaTarget;
}

/**
 * Live replication of every backup object (`clusters/`) to a bucket in another region, S3
 * encrypting the replicas with the target region's key:
 *
 * - `aws_s3_bucket_replication_configuration`: one rule, filter `clusters/`, `destination.bucket`
 *   and `encryption_configuration.replica_kms_key_id`, and `source_selection_criteria.
 *   sse_kms_encrypted_objects` Enabled: "By default, Amazon S3 doesn't replicate objects that are
 *   stored at rest using server-side encryption with ... AWS KMS ... Explicitly opt in ... by adding
 *   the SourceSelectionCriteria element"; "The AWS KMS key must have been created in the same AWS
 *   Region as the destination bucket" (Amazon S3 User Guide, "Replicating encrypted objects";
 *   hashicorp/aws `s3_bucket_replication_configuration` docs: versioning must be enabled on both
 *   buckets, and the resource `depends_on` the source's versioning).
 * - Delete markers are not replicated (`delete_marker_replication` Disabled): a mistaken or
 *   malicious delete in the primary region leaves the replica whole; the replica's own lifecycle
 *   (the same retention, `CockroachBackupStack` in that region) expires its copies.
 * - The role (least privilege, the same guide's policy, without ACL actions, which a
 *   BucketOwnerEnforced bucket has none of, and without `s3:ReplicateDelete`, which no replicated
 *   delete marker needs): read the source's replication configuration and list it; read object
 *   versions for replication under `clusters/`; replicate objects and tags into the target's
 *   `clusters/`; `kms:Decrypt` with the source key and `kms:Encrypt` with the target key, each only
 *   through S3 in its region (`kms:ViaService`) and for its bucket (`kms:EncryptionContext:aws:s3:arn`:
 *   the object ARN, or the bucket ARN for objects encrypted under an S3 Bucket Key, as these are).
 *   Its trust is S3, for this source bucket only (`aws:SourceArn`).
 */
export class BackupReplication extends Construct {
  readonly configuration: S3BucketReplicationConfigurationA;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: BackupReplicationProps) {
    super(scope, id);
    const role = productRole(this, 'role', {
      name: props.roleName,
      description: `S3 replication of the CockroachDB backups to ${props.target.region}`,
      trust: [serviceTrust('s3.amazonaws.com', { condition: { ArnLike: { 'aws:SourceArn': [props.sourceBucketArn] } } })],
    });
    this.roleArn = role.arn;
    new IamRolePolicy(this, 'policy', {
      name: 'replicate-backups',
      role: role.name,
      policy: iamPolicyJson(backupReplicationStatements(props)),
    });
    this.configuration = new S3BucketReplicationConfigurationA(this, 'configuration', {
      bucket: props.sourceBucket,
      role: role.arn,
      dependsOn: [props.sourceVersioning],
      rule: [
        {
          id: `backups-to-${props.target.region}`,
          status: 'Enabled',
          priority: 1,
          filter: { prefix: `${BACKUP_COLLECTIONS_PREFIX}/` },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: { bucket: props.target.bucketArn, encryptionConfiguration: { replicaKmsKeyId: props.target.kmsKeyArn } },
        },
      ],
    });
  }
}

/** The replication role's statements (see {@link BackupReplication}). */
export function backupReplicationStatements(props: Omit<BackupReplicationProps, 'roleName' | 'sourceBucket' | 'sourceVersioning'>): IamStatement[] {
  const objects = (bucketArn: string): string => `${bucketArn}/${BACKUP_COLLECTIONS_PREFIX}/*`;
  const viaS3 = (region: string): string => `s3.${region}.${awsDnsSuffixOf(region)}`;
  return [
    { Sid: 'ReadTheReplicationConfiguration', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: [props.sourceBucketArn] },
    { Sid: 'ReadBackupVersionsForReplication', Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'], Resource: [objects(props.sourceBucketArn)] },
    { Sid: 'ReplicateBackups', Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateTags'], Resource: [objects(props.target.bucketArn)] },
    {
      Sid: 'DecryptSourceBackupsThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [props.sourceKmsKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': [viaS3(props.sourceRegion)] }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [props.sourceBucketArn, objects(props.sourceBucketArn)] } },
    },
    {
      Sid: 'EncryptReplicasThroughS3',
      Effect: 'Allow',
      Action: ['kms:Encrypt'],
      Resource: [props.target.kmsKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': [viaS3(props.target.region)] }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [props.target.bucketArn, objects(props.target.bucketArn)] } },
    },
  ];
}

/** Every reason a replica in `region` cannot work with a source in `sourceRegion`, under `<prop>.region`. */
export function backupReplicaTargetProblems(region: string, sourceRegion: string, prop = 'replicateTo'): PropProblem[] {
  const target = { region };
  if (Token.isUnresolved(target.region)) return [{ prop: `${prop}.region`, value: target.region, message: 'must be a literal region (it names the replication rule and the role\'s KMS condition), not a Terraform reference' }];
  if (!isAwsRegionName(target.region)) return [{ prop: `${prop}.region`, value: target.region, message: 'allowed is an AWS region, e.g. us-east-2' }];
  if (!Token.isUnresolved(sourceRegion) && target.region === sourceRegion) {
    return [{ prop: `${prop}.region`, value: target.region, message: `is the backup bucket's own region: the replica must survive the loss of ${sourceRegion}, so it lives in another region` }];
  }
  return [];
}

import { Template } from '@crdb-ory/core/testing';
import { terraformOutputName } from '@crdb-ory/core';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { STATE_OUTPUTS, StateStack, StateStackProps } from '../src';

function synthState(overrides: Partial<StateStackProps> = {}): Record<string, any> {
  return JSON.parse(Testing.synth(new StateStack(Testing.app(), { region: 'us-east-1', ...overrides })));
}


const json = synthState();
const bucketName = Object.keys(json.resource.aws_s3_bucket)[0];
const bucketId = `\${aws_s3_bucket.${bucketName}.id}`;

describe('state stack, all defaults', () => {
  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('always keeps its own state in a local file', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.state.tfstate' } });
  });

  it('names the bucket after the prefix, account and region, and refuses to delete it while it holds state', () => {
    const bucket = Template.fromJSON(json).only('aws_s3_bucket').config;
    expect(bucket.bucket).toMatch(/^crdb-ory-tfstate-\$\{data\.aws_caller_identity\.[^}]+\.account_id\}-\$\{data\.aws_region\.[^}]+\.name\}$/);
    expect(bucket.force_destroy).toBe(false);
  });

  it('uses a given bucket name as is', () => {
    expect(Template.fromJSON(synthState({ bucketName: 'my-state' })).only('aws_s3_bucket').config.bucket).toBe('my-state');
  });

  it('versions the bucket', () => {
    expect(Template.fromJSON(json).only('aws_s3_bucket_versioning').config).toEqual({ bucket: bucketId, versioning_configuration: { status: 'Enabled' } });
  });

  it('creates the state key (rotated, 30-day deletion window, the default key policy: IAM decides) and its alias from the prefix', () => {
    const key = Template.fromJSON(json).only('aws_kms_key').config;
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(key.policy).toBeUndefined();
    const keyName = Object.keys(json.resource.aws_kms_key)[0];
    expect(Template.fromJSON(json).only('aws_kms_alias').config).toMatchObject({ name: 'alias/crdb-ory-tfstate', target_key_id: `\${aws_kms_key.${keyName}.key_id}` });
    expect(Template.fromJSON(synthState({ namePrefix: 'staging' })).only('aws_kms_alias').config.name).toBe('alias/staging-tfstate');
  });

  it('encrypts every object with the state key (SSE-KMS) and no bucket key, so KMS sees each object\'s ARN as encryption context', () => {
    const keyName = Object.keys(json.resource.aws_kms_key)[0];
    expect(Template.fromJSON(json).only('aws_s3_bucket_server_side_encryption_configuration').config.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: `\${aws_kms_key.${keyName}.arn}` }, bucket_key_enabled: false },
    ]);
  });

  it('blocks all four kinds of public access', () => {
    expect(Template.fromJSON(json).only('aws_s3_bucket_public_access_block').config).toEqual({
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('disables ACLs (bucket owner enforced)', () => {
    expect(Template.fromJSON(json).only('aws_s3_bucket_ownership_controls').config.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('denies every request that does not use TLS, on the bucket and its objects', () => {
    const policy = Template.fromJSON(json).only('aws_s3_bucket_policy').config;
    expect(policy.bucket).toBe(bucketId);
    const [statement, ...others] = JSON.parse(policy.policy).Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(statement.Resource).toEqual([`\${aws_s3_bucket.${bucketName}.arn}`, `\${aws_s3_bucket.${bucketName}.arn}/*`]);
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
  });

  it('expires old state versions after the retention period, keeping the newest ones', () => {
    const [rule] = Template.fromJSON(json).only('aws_s3_bucket_lifecycle_configuration').config.rule;
    expect(rule).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] });
    const [custom] = Template.fromJSON(synthState({ noncurrentVersionRetentionDays: 30, noncurrentVersionsKept: 3 })).only('aws_s3_bucket_lifecycle_configuration').config.rule;
    expect(custom.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30, newer_noncurrent_versions: 3 }]);
  });

  it('publishes its outputs contract', () => {
    expect(Object.keys(json.output).sort()).toEqual(Object.keys(STATE_OUTPUTS.outputs).map(terraformOutputName).sort());
    expect(json.output.bucket_name.value).toBe(`\${aws_s3_bucket.${bucketName}.bucket}`);
  });
});

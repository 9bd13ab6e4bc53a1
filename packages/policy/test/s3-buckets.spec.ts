import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { TerraformStack } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import { S3_ENCRYPTED, S3_PUBLIC_ACCESS_BLOCKED, S3_VERSIONED } from '../src';
import { findings } from './fixture';

function secureBucket(s: TerraformStack, blockAll = true): void {
  const bucket = new S3Bucket(s, 'state', { bucket: 'crdb-ory-state' });
  new S3BucketPublicAccessBlock(s, 'pab', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: blockAll });
  new S3BucketServerSideEncryptionConfigurationA(s, 'sse', { bucket: bucket.bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] });
  new S3BucketVersioningA(s, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
}

describe('CRDB-S3-001/002/003 S3 buckets', () => {
  it('pass a bucket with public access blocked, encryption and versioning', () => {
    for (const rule of [S3_PUBLIC_ACCESS_BLOCKED, S3_ENCRYPTED, S3_VERSIONED]) expect(findings(rule, (s) => secureBucket(s))).toEqual([]);
  });

  it('fail a bare bucket, each with its own rule id', () => {
    const bare = (s: TerraformStack) => new S3Bucket(s, 'bare', { bucket: 'bare' });
    expect(findings(S3_PUBLIC_ACCESS_BLOCKED, bare)[0]).toMatchObject({ ruleId: 'CRDB-S3-001', constructPath: 'fixture/bare' });
    expect(findings(S3_ENCRYPTED, bare)[0]).toMatchObject({ ruleId: 'CRDB-S3-002' });
    expect(findings(S3_VERSIONED, bare)[0]).toMatchObject({ ruleId: 'CRDB-S3-003' });
  });

  it('fails a public access block that leaves one setting off', () => {
    const [finding] = findings(S3_PUBLIC_ACCESS_BLOCKED, (s) => secureBucket(s, false));
    assert.exists(finding, 'a finding');
    expect(finding.message).toContain('without all of');
  });

  it('does not credit another bucket with the companion resources', () => {
    const result = findings(S3_VERSIONED, (s) => {
      secureBucket(s);
      new S3Bucket(s, 'logs', { bucket: 'crdb-ory-logs' });
    });
    expect(result.map((f) => f.constructPath)).toEqual(['fixture/logs']);
  });
});

import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { IamStatement } from './iam/policy-document';
import { iamPolicyJson } from './iam/policy-json';

export interface PrivateBucketControls {
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly versioning: S3BucketVersioningA;
}

/**
 * What every bucket of this product has: owned by the bucket owner only (no ACLs), all four
 * public access blocks, versioning on. Created in `scope` with the ids `ownership`,
 * `public-access-block` and `versioning` (construct ids are API: they name the resources).
 */
export function privateBucketControls(scope: Construct, bucket: string): PrivateBucketControls {
  new S3BucketOwnershipControls(scope, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const versioning = new S3BucketVersioningA(scope, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
  return { publicAccessBlock, versioning };
}

/** A bucket policy statement denying every request made without TLS. */
export function denyInsecureTransportStatement(bucketArn: string): IamStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * The bucket policy every bucket of this product has: TLS only ({@link denyInsecureTransportStatement}),
 * as `aws_s3_bucket_policy` with the id `tls-only` in `scope`. Written after `publicAccessBlock`:
 * S3 rejects a policy write while the public access block is being changed.
 */
export function tlsOnlyBucketPolicy(scope: Construct, bucket: string, bucketArn: string, publicAccessBlock: S3BucketPublicAccessBlock): S3BucketPolicy {
  return new S3BucketPolicy(scope, 'tls-only', { bucket, policy: iamPolicyJson([denyInsecureTransportStatement(bucketArn)]), dependsOn: [publicAccessBlock] });
}

import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { DEFAULT_NAME_PREFIX, privateBucketControls, tlsOnlyBucketPolicy } from '@crdb-ory/core';
import { Construct } from 'constructs';

export interface StateBucketProps {
  /** Name of the bucket. @default `<namePrefix>-tfstate-<account id>-<region>`, unique per account and region */
  readonly bucketName?: string;
  /** Prefix of the default bucket name. @default 'crdb-ory' */
  readonly namePrefix?: string;
  /** Days a state version stays recoverable after a newer one replaces it. @default 90 */
  readonly noncurrentVersionRetentionDays?: number;
  /** Older versions always kept, whatever their age. @default 10 */
  readonly noncurrentVersionsKept?: number;
  /**
   * KMS key for SSE-KMS, without an S3 Bucket Key: S3 then asks KMS with each object's own ARN as
   * encryption context (`aws:s3:arn`), so IAM can grant the key per state object (S3 User Guide,
   * "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys": with a bucket key the context is the
   * bucket's ARN). State objects are few and small: per-object KMS calls cost next to nothing.
   * @default none: SSE-S3 (AES256), readable by anyone S3 IAM permissions allow
   */
  readonly kmsKeyArn?: string;
}

/**
 * The S3 bucket that holds every stack's Terraform state: versioned (old state versions are
 * kept for a while), encrypted by default, owned by the bucket owner only (no ACLs), closed
 * to the public on all four counts, and reachable over TLS only.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps = {}) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName ?? this.defaultName(props.namePrefix ?? DEFAULT_NAME_PREFIX),
      // Never delete a bucket that still holds state: `terraform destroy` fails until it is emptied by hand.
      forceDestroy: false,
    });
    const bucket = this.bucket.id;
    const { publicAccessBlock: publicAccess } = privateBucketControls(this, bucket);
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', { bucket, rule: [encryptionRule(props.kmsKeyArn)] });
    new S3BucketLifecycleConfiguration(this, 'retention', {
      bucket,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [
            { noncurrentDays: props.noncurrentVersionRetentionDays ?? 90, newerNoncurrentVersions: props.noncurrentVersionsKept ?? 10 },
          ],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    tlsOnlyBucketPolicy(this, bucket, this.bucket.arn, publicAccess);
  }

  private defaultName(prefix: string): string {
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const region = new DataAwsRegion(this, 'region').name;
    return `${prefix}-tfstate-${account}-${region}`;
  }
}

function encryptionRule(kmsKeyArn: string | undefined) {
  return kmsKeyArn
    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: false }
    : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } };
}

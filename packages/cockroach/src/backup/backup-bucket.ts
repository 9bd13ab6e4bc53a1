import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { IamStatement, privateBucketControls, tlsOnlyBucketPolicy } from '@crdb-ory/core';
import { backupReadWriteStatements } from './backup-grants';
import { Construct } from 'constructs';
import { BACKUP_COLLECTIONS_PREFIX } from './backup-schedule';

/** S3 Object Lock retention applied by default to every new backup object (WORM). */
export interface BackupObjectLock {
  /** `GOVERNANCE` (users with s3:BypassGovernanceRetention may still delete) or `COMPLIANCE` (nobody can, not even root, until it expires). */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days each object version is locked; at most `retentionDays`. */
  readonly days: number;
}

export interface CockroachBackupBucketProps {
  readonly bucketName: string;
  /** Alias of the bucket's KMS key, without `alias/`. */
  readonly kmsKeyAlias: string;
  /** Days a backup object is kept before it expires (becomes a noncurrent version). */
  readonly retentionDays: number;
  /** Days an expired or overwritten backup object stays recoverable as a noncurrent version. */
  readonly noncurrentRetentionDays: number;
  /** @default none (no WORM retention) */
  readonly objectLock?: BackupObjectLock;
}

/**
 * The bucket CockroachDB writes its scheduled backups to: SSE-KMS with a key of its own (and an
 * S3 bucket key), versioned, all four public access blocks, no ACLs, TLS only, a lifecycle that
 * expires backups after `retentionDays` and keeps them recoverable for
 * `noncurrentRetentionDays` more, optional Object Lock. `force_destroy` is false: S3 refuses to
 * delete a bucket that still holds objects (and in a versioned bucket, any version), so no apply
 * removes backups; nothing that would replace the bucket or its key is ever set after creation
 * (Object Lock is its own resource, not the bucket's ForceNew `object_lock_enabled`).
 */
export class CockroachBackupBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly kmsKey: KmsKey;
  /** The bucket's versioning (replication and Object Lock need it first). */
  readonly versioning: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: CockroachBackupBucketProps) {
    super(scope, id);
    this.kmsKey = new KmsKey(this, 'kms-key', {
      description: `CockroachDB backups in s3://${props.bucketName}`,
      enableKeyRotation: true,
      // The longest window: 30 days to cancel a mistaken deletion before backups become unreadable.
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'kms-alias', { name: `alias/${props.kmsKeyAlias}`, targetKeyId: this.kmsKey.keyId });
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      // Never delete a bucket that holds backups: a destroy (or a replacement) fails until it is emptied by hand.
      forceDestroy: false,
    });
    const bucket = this.bucket.id;
    const { publicAccessBlock: publicAccess, versioning } = privateBucketControls(this, bucket);
    this.versioning = versioning;
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.kmsKey.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, 'retention', {
      bucket,
      dependsOn: [versioning],
      rule: [
        {
          id: 'expire-backups',
          status: 'Enabled',
          filter: [{ prefix: `${BACKUP_COLLECTIONS_PREFIX}/` }],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentRetentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        {
          id: 'remove-expired-delete-markers',
          status: 'Enabled',
          filter: [{ prefix: `${BACKUP_COLLECTIONS_PREFIX}/` }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
    });
    if (props.objectLock) {
      // On an existing versioned bucket too: the bucket's own object_lock_enabled would replace it.
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket,
        dependsOn: [versioning],
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
      });
    }
    tlsOnlyBucketPolicy(this, bucket, this.bucket.arn, publicAccess);
  }

  /** The statements CockroachDB in `region` needs to back up into this bucket and restore from it (aws-cdk's `grantReadWrite`); see {@link backupReadWriteStatements}. */
  grantReadWrite(region: string): IamStatement[] {
    return backupReadWriteStatements({ bucketArn: this.bucket.arn, kmsKeyArn: this.kmsKey.arn, region });
  }
}

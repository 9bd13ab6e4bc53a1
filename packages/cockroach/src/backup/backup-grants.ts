import { IamStatement, awsDnsSuffixOf } from '@crdb-ory/core';

/** The backup bucket and its key, as a writer sees them (ARNs, read from the backup stack's outputs). */
export interface BackupBucketAccess {
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** Region of the bucket: the key is usable only through S3 there. */
  readonly region: string;
}

/**
 * What CockroachDB needs to run backups and restores into the bucket (`AUTH=implicit`; the grant
 * of `CockroachBackupBucket`, as aws-cdk's `bucket.grantReadWrite`): read, write and list the
 * bucket, and use its key through S3 only. No s3:DeleteObjectVersion: in the versioned bucket a
 * writer can add a delete marker, never destroy a backup.
 */
export function backupReadWriteStatements(access: BackupBucketAccess): IamStatement[] {
  return [
    { Sid: 'ListTheBackupBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [access.bucketArn] },
    {
      Sid: 'WriteAndReadBackups',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: [`${access.bucketArn}/*`],
    },
    {
      Sid: 'UseTheBackupKeyThroughS3',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: [access.kmsKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': [`s3.${access.region}.${awsDnsSuffixOf(access.region)}`] } },
    },
  ];
}

/**
 * The read-only subset of {@link backupReadWriteStatements}: list the bucket, read its objects and
 * decrypt with its key through S3. What a cluster needs to restore from a bucket it never writes
 * to, such as the replica in another region after the primary region is lost (`RESTORE ... FROM`
 * the replica, restore's `--from-bucket`).
 */
export function backupReadStatements(access: BackupBucketAccess): IamStatement[] {
  return [
    { Sid: 'ListTheReplicaBucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [access.bucketArn] },
    { Sid: 'ReadReplicatedBackups', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${access.bucketArn}/*`] },
    {
      Sid: 'DecryptWithTheReplicaKeyThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [access.kmsKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': [`s3.${access.region}.${awsDnsSuffixOf(access.region)}`] } },
    },
  ];
}

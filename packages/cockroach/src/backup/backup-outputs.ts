import { defineOutputsContract } from '@crdb-ory/core/contract';

/** Stack name of the backup stack: also its state key. API: never rename. */
export const COCKROACH_BACKUP_STACK_NAME = 'cockroach-backup';

/**
 * The backup stack's outputs: where the cluster writes its backups. The bucket lives in a stack
 * of its own so that destroying and re-creating the `cockroach` stack (or restoring into a new
 * cluster) never touches the backups.
 */
export const COCKROACH_BACKUP_OUTPUTS = defineOutputsContract(COCKROACH_BACKUP_STACK_NAME, {
  bucketName: { type: 'string', description: 'S3 bucket holding the CockroachDB backups (one collection per cluster under clusters/<cluster id>/).', example: 'crdb-ory-backups-123456789012-us-east-1' },
  bucketArn: { type: 'string', description: 'ARN of the backup bucket.', example: 'arn:aws:s3:::crdb-ory-backups-123456789012-us-east-1' },
  kmsKeyArn: { type: 'string', description: 'KMS key that encrypts every backup object (SSE-KMS with an S3 bucket key).', example: 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-00000000b001' },
});

/**
 * The outputs contract of a backup stack with its own name (the app's `stackNames` gives it one,
 * per region in a multi-region app), the same outputs under that stack's name. The replica
 * region's contract gives the primary's `replicateTo` (bucketArn, kmsKeyArn).
 */
export function regionalBackupOutputs(stackName: string) {
  return defineOutputsContract(stackName, COCKROACH_BACKUP_OUTPUTS.outputs);
}

/**
 * List prices (USD, us-east-1) of what a teardown leaves behind. Other regions differ by a few
 * percent; the teardown's report says which prices it used.
 */
export const PRICES_REGION = 'us-east-1';

/** S3 Standard storage, first 50 TB: $0.023 per GB-month (aws.amazon.com/s3/pricing). */
export const S3_STANDARD_PER_GB_MONTH = 0.023;

/**
 * EBS snapshots, Standard tier: $0.05 per GB-month (aws.amazon.com/ebs/pricing), billed on the
 * blocks written, never more than the volume's size (AWS re:Post knowledge center, "EBS snapshot billing").
 */
export const EBS_SNAPSHOT_PER_GB_MONTH = 0.05;

/**
 * A KMS key: $1 per month, plus key material that automatic rotation adds (aws.amazon.com/kms/pricing).
 * "There is no charge for customer managed KMS keys that are scheduled for deletion" (same page).
 */
export const KMS_KEY_PER_MONTH = 1;
export const KMS_KEY_PENDING_DELETION_PER_MONTH = 0;

/**
 * "There is no charge for secrets that you have marked for deletion" (Secrets Manager User Guide,
 * "Delete an AWS Secrets Manager secret").
 */
export const SECRET_IN_RECOVERY_WINDOW_PER_MONTH = 0;

/** CloudWatch Logs storage: $0.03 per GB-month (aws.amazon.com/cloudwatch/pricing). */
export const LOG_STORAGE_PER_GB_MONTH = 0.03;

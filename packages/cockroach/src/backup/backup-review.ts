import { StackReview, SynthesizedStackJson, TerraformTestAssertion, resourcesOfType } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { CLUSTER_METRIC } from '../cluster/node-metrics';
import { COCKROACH_BACKUP_OUTPUTS, COCKROACH_BACKUP_STACK_NAME } from './backup-outputs';

function only(stack: SynthesizedStackJson, type: string): string {
  const found = resourcesOfType(stack, type);
  if (found.length !== 1) throw new Error(`backup review: expected one ${type}, found ${found.length}`);
  return found[0]!.address;
}

/** What the offline review asserts after a mocked apply of the `cockroach-backup` stack. */
export const COCKROACH_BACKUP_REVIEW: StackReview = {
  stackName: COCKROACH_BACKUP_STACK_NAME,
  upstream: [NETWORK_OUTPUTS],
  outputs: COCKROACH_BACKUP_OUTPUTS,
  assertions(stack): TerraformTestAssertion[] {
    const bucket = only(stack, 'aws_s3_bucket');
    const key = only(stack, 'aws_kms_key');
    const versioning = only(stack, 'aws_s3_bucket_versioning');
    const access = only(stack, 'aws_s3_bucket_public_access_block');
    const encryption = only(stack, 'aws_s3_bucket_server_side_encryption_configuration');
    const lifecycle = only(stack, 'aws_s3_bucket_lifecycle_configuration');
    const policy = only(stack, 'aws_s3_bucket_policy');
    const alarms = resourcesOfType(stack, 'aws_cloudwatch_metric_alarm').map((a) => a.address);
    return [
      { condition: `${bucket}.force_destroy == false`, errorMessage: `${bucket}: a destroy must never delete backups (force_destroy = false)` },
      { condition: `${versioning}.versioning_configuration[0].status == "Enabled"`, errorMessage: `${versioning}: the backup bucket is versioned` },
      {
        condition: `${access}.block_public_acls && ${access}.block_public_policy && ${access}.ignore_public_acls && ${access}.restrict_public_buckets`,
        errorMessage: `${access}: all four public access blocks are on`,
      },
      {
        condition: `one(one(${encryption}.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && one(one(${encryption}.rule).apply_server_side_encryption_by_default).kms_master_key_id == ${key}.arn && one(${encryption}.rule).bucket_key_enabled`,
        errorMessage: `${encryption}: SSE-KMS with the stack's own key and an S3 bucket key`,
      },
      { condition: `${key}.enable_key_rotation`, errorMessage: `${key}: key rotation is on` },
      {
        condition: `anytrue([for r in ${lifecycle}.rule : r.status == "Enabled" && length(r.expiration) > 0 && length(r.noncurrent_version_expiration) > 0])`,
        errorMessage: `${lifecycle}: backups expire and their noncurrent versions are cleaned up`,
      },
      {
        condition: `anytrue([for s in jsondecode(${policy}.policy).Statement : s.Effect == "Deny" && s.Condition.Bool["aws:SecureTransport"] == "false"])`,
        errorMessage: `${policy}: the bucket policy denies requests without TLS`,
      },
      ...alarms.map((a) => ({
        condition: `length(${a}.alarm_actions) > 0 && (${a}.metric_name != "${CLUSTER_METRIC.lastCompletedBackupAgeHours}" || ${a}.treat_missing_data == "breaching")`,
        errorMessage: `${a}: notifies the alarm topic, and the no-recent-backup alarm treats no completed backup at all as failing`,
      })),
    ];
  },
};

import { attribute } from '../declare-rule';
import { bucketCompanionRule } from '../s3-companions';
import { blocks } from '../values';

/** CRDB-S3-002: every bucket has an explicit default server-side encryption rule. */
export const S3_ENCRYPTED = bucketCompanionRule({
  id: 'CRDB-S3-002',
  description: 'Every S3 bucket has default server-side encryption configured (aws_s3_bucket_server_side_encryption_configuration).',
  fix: 'add an S3BucketServerSideEncryptionConfigurationA with sse_algorithm "aws:kms" (or "AES256")',
  companion: 'aws_s3_bucket_server_side_encryption_configuration',
  complies: (configuration) => blocks(configuration.config['rule']).some((rule) => typeof attribute(rule, 'apply_server_side_encryption_by_default', 'sse_algorithm') === 'string'),
  problem: () => 'bucket has no default server-side encryption rule',
});

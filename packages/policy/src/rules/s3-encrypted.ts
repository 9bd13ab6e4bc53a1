import type { PolicyRule } from '../rule';
import { bucketCompanions } from '../s3-companions';
import { blocks, firstBlock } from '../values';

/** CRDB-S3-002: every bucket has an explicit default server-side encryption rule. */
export const S3_ENCRYPTED: PolicyRule = {
  id: 'CRDB-S3-002',
  description: 'Every S3 bucket has default server-side encryption configured (aws_s3_bucket_server_side_encryption_configuration).',
  severity: 'error',
  check(stack) {
    return stack
      .resources('aws_s3_bucket')
      .filter((bucket) => !bucketCompanions(stack, 'aws_s3_bucket_server_side_encryption_configuration', bucket).some((config) => hasAlgorithm(config.config['rule'])))
      .map((bucket) =>
        stack.violation(bucket, 'bucket has no default server-side encryption rule', 'add an S3BucketServerSideEncryptionConfigurationA with sse_algorithm "aws:kms" (or "AES256")'),
      );
  },
};

function hasAlgorithm(rules: unknown): boolean {
  return blocks(rules).some((rule) => typeof firstBlock(rule['apply_server_side_encryption_by_default'])?.['sse_algorithm'] === 'string');
}

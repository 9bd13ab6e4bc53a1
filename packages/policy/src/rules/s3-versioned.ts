import type { PolicyRule } from '../rule';
import { bucketCompanions } from '../s3-companions';
import { firstBlock } from '../values';

/** CRDB-S3-003: every bucket has versioning enabled. */
export const S3_VERSIONED: PolicyRule = {
  id: 'CRDB-S3-003',
  description: 'Every S3 bucket has versioning enabled (aws_s3_bucket_versioning status "Enabled").',
  severity: 'error',
  check(stack) {
    return stack
      .resources('aws_s3_bucket')
      .filter(
        (bucket) =>
          !bucketCompanions(stack, 'aws_s3_bucket_versioning', bucket).some(
            (versioning) => firstBlock(versioning.config['versioning_configuration'])?.['status'] === 'Enabled',
          ),
      )
      .map((bucket) => stack.violation(bucket, 'bucket versioning is not enabled', 'add an S3BucketVersioningA for this bucket with versioningConfiguration.status "Enabled"'));
  },
};

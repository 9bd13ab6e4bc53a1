import { attribute } from '../declare-rule';
import { bucketCompanionRule } from '../s3-companions';

/** CRDB-S3-003: every bucket has versioning enabled. */
export const S3_VERSIONED = bucketCompanionRule({
  id: 'CRDB-S3-003',
  description: 'Every S3 bucket has versioning enabled (aws_s3_bucket_versioning status "Enabled").',
  fix: 'add an S3BucketVersioningA for this bucket with versioningConfiguration.status "Enabled"',
  companion: 'aws_s3_bucket_versioning',
  complies: (versioning) => attribute(versioning.config, 'versioning_configuration', 'status') === 'Enabled',
  problem: () => 'bucket versioning is not enabled',
});

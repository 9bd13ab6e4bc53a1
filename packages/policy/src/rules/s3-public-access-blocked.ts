import { bucketCompanionRule } from '../s3-companions';
import { isTrue } from '../values';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** CRDB-S3-001: every bucket has a public access block with all four settings on. */
export const S3_PUBLIC_ACCESS_BLOCKED = bucketCompanionRule({
  id: 'CRDB-S3-001',
  description: 'Every S3 bucket blocks all public access (aws_s3_bucket_public_access_block, all four settings true).',
  fix: `add an S3BucketPublicAccessBlock for this bucket with ${SETTINGS.join(', ')} = true`,
  companion: 'aws_s3_bucket_public_access_block',
  complies: (block) => SETTINGS.every((setting) => isTrue(block.config[setting])),
  problem: (blocks) => `bucket ${blocks.length === 0 ? 'has no aws_s3_bucket_public_access_block' : `has a public access block without all of ${SETTINGS.join(', ')}`}`,
});

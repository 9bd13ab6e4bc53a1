import { removalRule } from './removal-rule';

/** Every bucket of this product is the Terraform state bucket (stack `state`) or the backup bucket (stack `cockroach-backup`). */
export const BUCKET_REPLACED = removalRule({
  id: 'bucket-replaced',
  title: 'State or backup bucket replaced or destroyed',
  description:
    'The state bucket holds the Terraform state of every stack; the backup bucket holds the CockroachDB backups. Losing either cannot be undone by another apply.',
  resourceTypes: ['aws_s3_bucket'],
});

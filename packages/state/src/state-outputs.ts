import { defineOutputsContract } from '@crdb-ory/core';

/** Stack name of the state bootstrap stack: also its local state file name. API: never rename. */
export const STATE_STACK_NAME = 'state';

/** The `state` stack's outputs: what to put in `stateBackend` once it is deployed. */
export const STATE_OUTPUTS = defineOutputsContract(STATE_STACK_NAME, {
  bucketName: { type: 'string', description: 'Name of the Terraform state bucket (stateBackend.bucket).', example: 'crdb-ory-tfstate-123456789012-us-east-1' },
  bucketArn: { type: 'string', description: 'ARN of the Terraform state bucket, for IAM policies of the people and pipelines that deploy.', example: 'arn:aws:s3:::crdb-ory-tfstate-123456789012-us-east-1' },
  bucketRegion: { type: 'string', description: 'Region of the Terraform state bucket (stateBackend.region).', example: 'us-east-1' },
  kmsKeyArn: { type: 'string', description: 'The customer-managed KMS key that encrypts every state object (the S3 backend names it by its alias).', example: 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000005' },
  kmsKeyAlias: { type: 'string', description: "Alias of the state key: every stack's S3 backend `kms_key_id`.", example: 'alias/crdb-ory-tfstate' },
});

import { defineOutputsContract } from '@crdb-ory/core';

/** Stack name of the state bootstrap stack: also its local state file name. API: never rename. */
export const STATE_STACK_NAME = 'state';

/** The `state` stack's outputs: what to put in `stateBackend` once it is deployed. */
export const STATE_OUTPUTS = defineOutputsContract(STATE_STACK_NAME, {
  bucketName: { type: 'string', description: 'Name of the Terraform state bucket (stateBackend.bucket).', example: 'crdb-ory-tfstate-123456789012-us-east-1' },
  bucketArn: { type: 'string', description: 'ARN of the Terraform state bucket, for IAM policies of the people and pipelines that deploy.', example: 'arn:aws:s3:::crdb-ory-tfstate-123456789012-us-east-1' },
  bucketRegion: { type: 'string', description: 'Region of the Terraform state bucket (stateBackend.region).', example: 'us-east-1' },
});

import { StackReview, SynthesizedStackJson, TerraformTestAssertion, resourcesOfType } from '@crdb-ory/core';
import { STATE_OUTPUTS, STATE_STACK_NAME } from './state-outputs';

/** What the offline review checks on the `state` stack after a mocked apply. */
export const STATE_REVIEW: StackReview = {
  stackName: STATE_STACK_NAME,
  upstream: [],
  outputs: STATE_OUTPUTS,
  assertions: (stack) => [...each(stack, 'aws_s3_bucket_versioning', versioning), ...each(stack, 'aws_s3_bucket_public_access_block', publicAccess), ...each(stack, 'aws_s3_bucket_policy', tlsOnly), ...each(stack, 'aws_s3_bucket_server_side_encryption_configuration', encryption)],
};

function each(stack: SynthesizedStackJson, type: string, assert: (address: string) => TerraformTestAssertion): TerraformTestAssertion[] {
  const found = resourcesOfType(stack, type);
  if (found.length === 0) return [{ condition: 'false', errorMessage: `The state stack has no ${type}.` }];
  return found.map((r) => assert(r.address));
}

const versioning = (a: string): TerraformTestAssertion => ({
  condition: `${a}.versioning_configuration[0].status == "Enabled"`,
  errorMessage: `${a}: the state bucket must be versioned.`,
});

const publicAccess = (a: string): TerraformTestAssertion => ({
  condition: `${a}.block_public_acls && ${a}.block_public_policy && ${a}.ignore_public_acls && ${a}.restrict_public_buckets`,
  errorMessage: `${a}: all four public access blocks must be on.`,
});

const tlsOnly = (a: string): TerraformTestAssertion => ({
  condition: `anytrue([for s in jsondecode(${a}.policy).Statement : s.Effect == "Deny" && s.Condition.Bool["aws:SecureTransport"] == "false"])`,
  errorMessage: `${a}: the bucket policy must deny requests without TLS.`,
});

const encryption = (a: string): TerraformTestAssertion => ({
  condition: `one(one(${a}.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && one(${a}.rule).bucket_key_enabled == false`,
  errorMessage: `${a}: the state bucket must be encrypted with the state key (SSE-KMS), without a bucket key (per-object encryption context).`,
});

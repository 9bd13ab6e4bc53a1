import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { remoteStateId, type StackReview, type SynthesizedStackJson, type TerraformTestAssertion } from '@crdb-ory/core';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { ORY_OUTPUTS, ORY_STACK_NAME } from './ory-outputs';

/**
 * The Ory stack in the offline review. It needs the kubernetes and helm providers, which
 * cannot be installed here, so the review reports it as not checkable by Terraform; the
 * assertions below are for a machine that has those providers.
 */
export const ORY_REVIEW: StackReview = {
  stackName: ORY_STACK_NAME,
  upstream: [NETWORK_OUTPUTS, COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS, EKS_OUTPUTS],
  outputs: ORY_OUTPUTS,
  expectedPlanFailures: (stack: SynthesizedStackJson): string[] => {
    const access = (stack['locals'] as Record<string, Record<string, unknown[]>> | undefined)?.['kubernetes_api_access'];
    const nobody = access !== undefined && Object.values(access).every((cidrs) => cidrs.length === 0);
    return nobody ? [`data.terraform_remote_state.${remoteStateId(EKS_OUTPUTS.stackName)}`] : [];
  },
  assertions: (stack: SynthesizedStackJson): TerraformTestAssertion[] =>
    Object.entries(stack.resource?.['helm_release'] ?? {})
      .filter(([, release]) => ['hydra', 'kratos', 'keto'].includes(String(release['chart'])))
      .map(([name]) => ({
        condition: `helm_release.${name}.atomic == true`,
        errorMessage: `${name}: the release must be atomic, so a failed migration rolls back.`,
      })),
};

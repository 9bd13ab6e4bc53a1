import { contractUnder, remoteStateId, type StackReview, type SynthesizedStackJson, type TerraformTestAssertion } from '@crdb-ory/core';
import { ORY_OUTPUTS } from './ory-outputs';
import { oryUpstreamContracts } from './ory-upstream';

/**
 * An Ory stack in the offline review, under its name and its upstream stacks' names (a region's
 * Ory stack of a multi-region app: the `stackNames` its `OryStack` props give). It needs the kubernetes
 * and helm providers, which cannot be installed here, so the review reports it as not checkable by
 * Terraform; the assertions are for a machine that has those providers.
 */
export function oryStackReview(stackNames: Readonly<Record<string, string>> = {}): StackReview {
  const upstream = oryUpstreamContracts(stackNames);
  const outputs = contractUnder(ORY_OUTPUTS, stackNames);
  return {
    stackName: outputs.stackName,
    upstream: [upstream.network, upstream.cockroach, upstream.pki, upstream.eks],
    outputs,
    expectedPlanFailures: (stack: SynthesizedStackJson): string[] => {
      const access = (stack['locals'] as Record<string, Record<string, unknown[]>> | undefined)?.['kubernetes_api_access'];
      const nobody = access !== undefined && Object.values(access).every((cidrs) => cidrs.length === 0);
      return nobody ? [`data.terraform_remote_state.${remoteStateId(upstream.eks.stackName)}`] : [];
    },
    assertions: oryReleaseAssertions,
  };
}

/** The single-region app's Ory stack in the offline review. */
export const ORY_REVIEW: StackReview = oryStackReview();

function oryReleaseAssertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
  return (
    Object.entries(stack.resource?.['helm_release'] ?? {})
      .filter(([, release]) => ['hydra', 'kratos', 'keto'].includes(String(release['chart'])))
      .map(([name]) => ({
        condition: `helm_release.${name}.atomic == true`,
        errorMessage: `${name}: the release must be atomic, so a failed migration rolls back.`,
      }))
  );
}

import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { contractUnder } from '@crdb-ory/core';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';

/**
 * The contracts of the stacks an Ory stack reads, under the names `stackNames` gives them
 * (`ProductStackProps.stackNames`): the single-region ones unchanged, or a region's own stacks of a
 * multi-region app (the same outputs and channels).
 */
export function oryUpstreamContracts(stackNames: Readonly<Record<string, string>> = {}) {
  return {
    network: contractUnder(NETWORK_OUTPUTS, stackNames),
    cockroach: contractUnder(COCKROACH_OUTPUTS, stackNames),
    pki: contractUnder(COCKROACH_PKI_OUTPUTS, stackNames),
    eks: contractUnder(EKS_OUTPUTS, stackNames),
  };
}

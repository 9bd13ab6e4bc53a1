import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { defineOutputsContract } from '@crdb-ory/core';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS, regionalNetworkOutputs } from '@crdb-ory/network';

/** The stacks an Ory stack reads; unset, the single-region app's. */
export interface OryUpstreamStackNames {
  readonly networkStackName?: string;
  readonly cockroachStackName?: string;
  readonly pkiStackName?: string;
  readonly eksStackName?: string;
}

/**
 * The contracts of the stacks an Ory stack reads, under their names: the single-region ones
 * unchanged, or a region's own stacks of a multi-region app (the same outputs and channels).
 */
export function oryUpstreamContracts(names: OryUpstreamStackNames) {
  return {
    network: names.networkStackName ? regionalNetworkOutputs(names.networkStackName) : NETWORK_OUTPUTS,
    cockroach: names.cockroachStackName ? defineOutputsContract(names.cockroachStackName, COCKROACH_OUTPUTS.outputs) : COCKROACH_OUTPUTS,
    pki: names.pkiStackName ? defineOutputsContract(names.pkiStackName, COCKROACH_PKI_OUTPUTS.outputs, { channel: 'ssm-parameters' }) : COCKROACH_PKI_OUTPUTS,
    eks: names.eksStackName ? defineOutputsContract(names.eksStackName, EKS_OUTPUTS.outputs) : EKS_OUTPUTS,
  };
}

import { HTTP_PORT } from '@crdb-ory/cockroach';
import { remoteStateId, terraformOutputName } from '@crdb-ory/core';
import { NETWORK_OUTPUTS, NETWORK_STACK_NAME } from '@crdb-ory/network';
import type { PolicyContext } from '@crdb-ory/policy';
import type { DeploymentConfig } from './config';

type NetworkKey = keyof typeof NETWORK_OUTPUTS.outputs;

/** `data.terraform_remote_state.remote-state-<network stack>.outputs.<name>`: how stacks reference a network output. */
function networkOutputReference(networkStackName: string, key: NetworkKey): string {
  return `data.terraform_remote_state.${remoteStateId(networkStackName)}.outputs.${terraformOutputName(key)}`;
}

/** A network stack's two VPCs, as the policy rules know them. */
export interface PolicyNetwork {
  /** The network stack's name (`network`, or one per region). */
  readonly stackName: string;
  readonly cockroachVpcCidr: string;
  readonly oryVpcCidr: string;
}

/**
 * What the policy rules need to know about a deployment: the CockroachDB and Ory VPCs of every
 * network stack, by their configured CIDRs and by the network contract outputs other stacks read
 * them through, and the admin networks the configuration declares (`cockroach.adminCidrs`: the DB
 * Console, 8080, only).
 */
export function policyContextOf(networks: readonly PolicyNetwork[], adminCidrs: readonly string[]): PolicyContext {
  return {
    vpcs: networks.flatMap((network) => [
      { role: 'cockroach' as const, cidr: network.cockroachVpcCidr, references: [networkOutputReference(network.stackName, 'cockroachVpcCidr'), networkOutputReference(network.stackName, 'cockroachPrivateSubnetCidrs')] },
      { role: 'ory' as const, cidr: network.oryVpcCidr, references: [networkOutputReference(network.stackName, 'oryVpcCidr'), networkOutputReference(network.stackName, 'oryPrivateSubnetCidrs')] },
    ]),
    adminNetworks: adminCidrs.map((cidr) => ({ cidr, ports: [HTTP_PORT], declaredBy: 'cockroach.adminCidrs' })),
  };
}

/** The single-region deployment's policy context: its one network stack. */
export function policyContext(config: DeploymentConfig): PolicyContext {
  return policyContextOf([{ stackName: NETWORK_STACK_NAME, cockroachVpcCidr: config.network.cockroachVpc.cidr, oryVpcCidr: config.network.oryVpc.cidr }], config.cockroach.adminCidrs);
}

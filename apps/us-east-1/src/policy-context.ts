import { HTTP_PORT } from '@crdb-ory/cockroach';
import { remoteStateId, terraformOutputName } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import type { PolicyContext } from '@crdb-ory/policy';
import type { DeploymentConfig } from './config';

type NetworkKey = keyof typeof NETWORK_OUTPUTS.outputs;

/** `data.terraform_remote_state.remote-state-network.outputs.<name>`: how stacks reference a network output. */
function networkOutputReference(key: NetworkKey): string {
  return `data.terraform_remote_state.${remoteStateId(NETWORK_OUTPUTS.stackName)}.outputs.${terraformOutputName(key)}`;
}

/**
 * What the policy rules need to know about this deployment: the CockroachDB and Ory VPCs, by
 * their configured CIDRs and by the network contract outputs other stacks read them through,
 * and the admin networks the configuration declares (`cockroach.adminCidrs`: the DB Console,
 * 8080, only).
 */
export function policyContext(config: DeploymentConfig): PolicyContext {
  return {
    vpcs: [
      { role: 'cockroach', cidr: config.network.cockroachVpc.cidr, references: [networkOutputReference('cockroachVpcCidr'), networkOutputReference('cockroachPrivateSubnetCidrs')] },
      { role: 'ory', cidr: config.network.oryVpc.cidr, references: [networkOutputReference('oryVpcCidr'), networkOutputReference('oryPrivateSubnetCidrs')] },
    ],
    adminNetworks: config.cockroach.adminCidrs.map((cidr) => ({ cidr, ports: [HTTP_PORT], declaredBy: 'cockroach.adminCidrs' })),
  };
}

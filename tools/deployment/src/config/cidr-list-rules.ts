import { cidrListProblems } from '@crdb-ory/core';
import type { ConfigIssue } from './config-error';
import type { DeploymentConfig } from './schema';

/** Every CIDR list of the configuration, by setting path: each follows the one CIDR-list rule of `@crdb-ory/core`. */
export function cidrListSettings(config: DeploymentConfig): ReadonlyArray<{ readonly setting: string; readonly cidrs: readonly string[] }> {
  return [
    { setting: 'publicAccessCidrs', cidrs: config.publicAccessCidrs },
    { setting: 'cockroach.adminCidrs', cidrs: config.cockroach.adminCidrs },
    { setting: 'eks.endpointPrivateAccessCidrs', cidrs: config.eks.endpointPrivateAccessCidrs },
    { setting: 'eks.endpointPublicAccessCidrs', cidrs: config.eks.endpointPublicAccessCidrs },
  ];
}

/**
 * No CIDR list repeats an entry, and none names one of the product's own VPCs (or a network
 * inside one): they admit networks from outside (operators, end users), never the product itself.
 */
export function cidrListsAccepted(config: DeploymentConfig): ConfigIssue[] {
  const vpcs = [
    { label: `network.cockroachVpc.cidr ${config.network.cockroachVpc.cidr}`, cidr: config.network.cockroachVpc.cidr },
    { label: `network.oryVpc.cidr ${config.network.oryVpc.cidr}`, cidr: config.network.oryVpc.cidr },
  ];
  return cidrListSettings(config).flatMap(({ setting, cidrs }) =>
    cidrListProblems(cidrs, vpcs).map((problem) => ({ setting: `${setting}[${problem.index}]`, value: problem.value, message: problem.message })),
  );
}

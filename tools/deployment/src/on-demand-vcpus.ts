import { ec2InstanceType, onDemandVcpuQuotaOf } from '@crdb-ory/core';
import { NODE_COUNT, nodeName } from '@crdb-ory/cockroach';
import { nodeGroupPeakVcpus, nodeInstanceName, resourceNames } from '@crdb-ory/eks';
import { AZ_COUNT, type DeploymentConfig } from './config';

/**
 * The On-Demand standard vCPUs each compute stack runs at its peak (the CockroachDB nodes; the EKS
 * nodes at their maximum size during a node update), counted only where the instance type draws on
 * the standard quota (L-1216C47A). Each stack's plan-time quota check adds the other's, since both
 * draw on the same quota.
 */
export function onDemandStandardVcpus(config: DeploymentConfig): { readonly cockroach: number; readonly eks: number } {
  const standard = (type: string) => onDemandVcpuQuotaOf(type) !== undefined;
  return {
    cockroach: standard(config.cockroach.instanceType) ? NODE_COUNT * (ec2InstanceType(config.cockroach.instanceType)?.vcpus ?? 0) : 0,
    eks: standard(config.eks.nodeInstanceType) ? nodeGroupPeakVcpus(config.eks.nodeInstanceType, config.eks.nodeMaxSize, AZ_COUNT) : 0,
  };
}

/**
 * The `Name` tags of each compute stack's instances in the region, so that the other stack's
 * plan-time vCPU check leaves them out of the account's other usage (it adds their peak above).
 */
export function onDemandInstanceNames(config: DeploymentConfig): { readonly cockroach: readonly string[]; readonly eks: readonly string[] } {
  return {
    cockroach: Array.from({ length: NODE_COUNT }, (_, i) => nodeName(config.namePrefix, i)),
    eks: [nodeInstanceName(resourceNames(config.namePrefix).nodeGroup)],
  };
}

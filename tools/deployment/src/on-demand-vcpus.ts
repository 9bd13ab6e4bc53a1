import { ec2InstanceType, onDemandVcpuQuotaOf } from '@crdb-ory/core';
import { NODE_COUNT } from '@crdb-ory/cockroach';
import { nodeGroupPeakVcpus } from '@crdb-ory/eks';
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

import { awsPartitionOf } from '@crdb-ory/core';
import { clusterAdminProblems, eksApiAccessProblems, eksKubernetesVersionProblems, eksNodeGroupProblems, eksReleaseVersionProblem, hasOperatorApiAccess, nodeInstanceTypeProblems } from '@crdb-ory/eks';
import { ORY_SERVICES, oryClusterPods } from '@crdb-ory/ory';
import { isDeepStrictEqual } from 'node:util';
import { ConfigIssue, issuesOfProblems } from './config-error';
import { DEFAULT_CONFIG } from './defaults';
import type { RuleContext } from './load-config';
import type { DeploymentConfig } from './schema';

/** Access entries take the IAM role or user itself, not an STS session of it, in the region's partition (the eks library's rule). */
export function eksAdminsAreRolesOrUsers(config: DeploymentConfig): ConfigIssue[] {
  return issuesOfProblems(clusterAdminProblems(config.eks.adminPrincipalArns, { partition: awsPartitionOf(config.region), region: config.region }, 'adminPrincipalArns'), EKS_SETTING_PATHS);
}

/**
 * Where the props the eks library's problems name (`EksStack`, `EksCluster`,
 * `EksManagedNodeGroup`) live in the configuration; an entry (`[2]`) carries over.
 */
const EKS_SETTING_PATHS: Record<string, string> = {
  adminPrincipalArns: 'eks.adminPrincipalArns',
  endpointPublicAccessCidrs: 'eks.endpointPublicAccessCidrs',
  endpointPrivateAccessCidrs: 'eks.endpointPrivateAccessCidrs',
  kubernetesVersion: 'eks.kubernetesVersion',
  minSize: 'eks.nodeMinSize',
  desiredSize: 'eks.nodeDesiredSize',
  maxSize: 'eks.nodeMaxSize',
  rootVolumeSizeGiB: 'eks.nodeRootVolumeSizeGiB',
  httpPutResponseHopLimit: 'eks.nodeMetadataHopLimit',
};

/** The endpoint access lists, checked by the eks library (EKS limits, no world-open endpoint). */
export function eksApiAccessAccepted(config: DeploymentConfig): ConfigIssue[] {
  return issuesOfProblems(eksApiAccessProblems(config.eks), EKS_SETTING_PATHS);
}

/** A version EKS supports under the configured support type (EKS version table of the eks library). */
export function eksKubernetesVersionSupported(config: DeploymentConfig): ConfigIssue[] {
  return issuesOfProblems(eksKubernetesVersionProblems(config.eks.kubernetesVersion, config.eks.supportType), EKS_SETTING_PATHS);
}

/** The node group's sizes, root volume and metadata hop limit, by the eks library's rule (EKS quota, AMI and gp3 limits). */
export function eksNodeGroupAccepted(config: DeploymentConfig): ConfigIssue[] {
  const e = config.eks;
  return issuesOfProblems(
    eksNodeGroupProblems({ minSize: e.nodeMinSize, desiredSize: e.nodeDesiredSize, maxSize: e.nodeMaxSize, rootVolumeSizeGiB: e.nodeRootVolumeSizeGiB, httpPutResponseHopLimit: e.nodeMetadataHopLimit }),
    EKS_SETTING_PATHS,
  );
}

/** A pinned node AMI release belongs to the configured Kubernetes version (eks library). */
export function eksNodeReleaseVersionMatches(config: DeploymentConfig): ConfigIssue[] {
  const release = config.eks.nodeReleaseVersion;
  const problem = release === undefined ? undefined : eksReleaseVersionProblem(release, config.eks.kubernetesVersion);
  return problem ? [{ setting: 'eks.nodeReleaseVersion', value: release, message: problem }] : [];
}

/**
 * A configuration from which the ory stack cannot be deployed fails here: nobody can reach the
 * Kubernetes API, or nobody is cluster-admin. The all-defaults configuration is the exception
 * (`npm run synth` must work on a fresh clone): it synthesizes with a warning, and the eks and ory
 * plans stop at their preconditions instead.
 */
export function oryStackDeployable(config: DeploymentConfig, context?: RuleContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const allDefaults = context?.allDefaults ?? isDeepStrictEqual(config, DEFAULT_CONFIG);
  if (!hasOperatorApiAccess(config.eks) && !allDefaults) {
    issues.push({
      setting: 'eks.endpointPrivateAccessCidrs',
      value: config.eks.endpointPrivateAccessCidrs,
      message:
        'nobody could reach the Kubernetes API (private endpoint, no network admitted), so the ory stack cannot be deployed: list the networks routed into the Ory VPC that administer the cluster (VPN, bastion, peered network), or set eks.endpointPublicAccessCidrs to the public addresses of the machines that run kubectl and the deploys',
    });
  }
  if (!config.eks.deployerClusterAdmin && config.eks.adminPrincipalArns.length === 0) {
    issues.push({
      setting: 'eks.adminPrincipalArns',
      value: [],
      message: 'nobody would be cluster-admin (eks.deployerClusterAdmin is false), so the ory stack cannot be deployed: list the IAM roles that administer the cluster and deploy the ory stack, or set eks.deployerClusterAdmin to true',
    });
  }
  return issues;
}

/** A node type that exists, matches the nodes' AMI, and runs Ory's pods on the group's nodes (the eks library's rule). */
export function eksNodeInstanceTypeAccepted(config: DeploymentConfig): ConfigIssue[] {
  const workloadPods = oryClusterPods(ORY_SERVICES.map((service) => config.ory[service].replicas));
  return nodeInstanceTypeProblems(config.eks.nodeInstanceType, { nodes: config.eks.nodeDesiredSize, workloadPods }).map((message) => ({
    setting: 'eks.nodeInstanceType',
    value: config.eks.nodeInstanceType,
    message,
  }));
}

/** Every rule of the eks section. */
export function eksSettingsRule(config: DeploymentConfig, context?: RuleContext): ConfigIssue[] {
  return [...eksAdminsAreRolesOrUsers(config), ...eksApiAccessAccepted(config), ...eksKubernetesVersionSupported(config), ...eksNodeGroupAccepted(config), ...eksNodeReleaseVersionMatches(config), ...eksNodeInstanceTypeAccepted(config), ...oryStackDeployable(config, context)];
}

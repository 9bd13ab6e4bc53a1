import { EksStack, defaultEksClusterName } from '@crdb-ory/eks';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';
import { onDemandStandardVcpus } from './on-demand-vcpus';
import { stateBackendOf } from './state-backend';

/** The `eks` stack from the `eks` config section (operator access to the API included; Ory's end-user `publicAccessCidrs` are not an input). */
export function buildEksStack(app: App, config: DeploymentConfig): EksStack {
  const e = config.eks;
  return new EksStack(app, {
    stateBackend: stateBackendOf(config),
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    clusterName: eksClusterNameOf(config),
    kubernetesVersion: e.kubernetesVersion,
    supportType: e.supportType,
    adminPrincipalArns: e.adminPrincipalArns,
    deployerClusterAdmin: e.deployerClusterAdmin,
    endpointPublicAccessCidrs: e.endpointPublicAccessCidrs,
    endpointPrivateAccessCidrs: e.endpointPrivateAccessCidrs,
    logRetentionInDays: e.logRetentionDays,
    addonVersions: e.addonVersions,
    nodeInstanceType: e.nodeInstanceType,
    nodeDesiredSize: e.nodeDesiredSize,
    nodeMinSize: e.nodeMinSize,
    nodeMaxSize: e.nodeMaxSize,
    nodeRootVolumeSizeGiB: e.nodeRootVolumeSizeGiB,
    nodeHttpPutResponseHopLimit: e.nodeMetadataHopLimit,
    nodeReleaseVersion: e.nodeReleaseVersion,
    nodeGroupAlarms: config.monitoring.enabled,
    otherOnDemandVcpus: onDemandStandardVcpus(config).cockroach,
  });
}

/** The EKS cluster name: `eks.clusterName`, else the one derived from `namePrefix` (`ory` for the default prefix). */
export function eksClusterNameOf(config: DeploymentConfig): string {
  return config.eks.clusterName ?? defaultEksClusterName(config.namePrefix);
}

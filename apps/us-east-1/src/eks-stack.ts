import { EksStack } from '@crdb-ory/eks';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';
import { stateBackendOf } from './state-backend';

/** The `eks` stack from the `eks` config section; its public endpoint follows `publicAccessCidrs`. */
export function buildEksStack(app: App, config: DeploymentConfig): EksStack {
  const e = config.eks;
  return new EksStack(app, {
    stateBackend: stateBackendOf(config),
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    clusterName: e.clusterName,
    kubernetesVersion: e.kubernetesVersion,
    adminPrincipalArns: e.adminPrincipalArns,
    endpointPublicAccessCidrs: config.publicAccessCidrs,
    logRetentionInDays: e.logRetentionDays,
    addonVersions: e.addonVersions,
    nodeInstanceType: e.nodeInstanceType,
    nodeDesiredSize: e.nodeDesiredSize,
    nodeMinSize: e.nodeMinSize,
    nodeMaxSize: e.nodeMaxSize,
    nodeRootVolumeSizeGiB: e.nodeRootVolumeSizeGiB,
    nodeHttpPutResponseHopLimit: e.nodeMetadataHopLimit,
  });
}

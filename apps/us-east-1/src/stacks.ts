import type { StateBackendConfig } from '@crdb-ory/core';
import { NetworkStack } from '@crdb-ory/network';
import { StateStack } from '@crdb-ory/state';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';

/**
 * Adds every stack of the deployment to `app`. Stack names are API (they are the state
 * keys and the names of `cdktf deploy <stack>`); deploy order: state, network,
 * cockroach-pki, cockroach and eks, ory.
 */
export function buildStacks(app: App, config: DeploymentConfig): void {
  const stateBackend = toStateBackend(config);
  new StateStack(app, {
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    ...(config.stateBackend.type === 's3' ? { bucketName: config.stateBackend.bucket } : {}),
  });
  new NetworkStack(app, {
    stateBackend,
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    availabilityZones: config.availabilityZones,
    cockroachVpc: config.network.cockroachVpc,
    oryVpc: config.network.oryVpc,
    natGateways: config.network.natGateways,
    flowLogsRetentionDays: config.network.flowLogsRetentionDays,
    privateZoneName: config.network.privateZoneName,
    eksClusterName: config.eks.clusterName,
  });
}

/** The backend every stack but `state` uses; an S3 bucket's region defaults to the deployment's. */
export function toStateBackend(config: DeploymentConfig): StateBackendConfig {
  const backend = config.stateBackend;
  if (backend.type === 'local') return backend;
  return { type: 's3', bucket: backend.bucket, region: backend.region ?? config.region, keyPrefix: backend.keyPrefix };
}

import { NetworkStack } from '@crdb-ory/network';
import { OryStack } from '@crdb-ory/ory';
import { StateStack } from '@crdb-ory/state';
import type { App } from 'cdktf';
import { buildCockroachStacks } from './cockroach-stacks';
import type { DeploymentConfig } from './config';
import { buildEksStack, eksClusterNameOf } from './eks-stack';
import { oryStackProps } from './ory-stack-props';
import { stateBackendOf } from './state-backend';

/**
 * Adds every stack of the deployment to `app`. Stack names are API (they are the state
 * keys and the names of `cdktf deploy <stack>`); deploy order: state, network,
 * cockroach-pki and cockroach-backup, cockroach and eks, ory.
 */
export function buildStacks(app: App, config: DeploymentConfig): void {
  new StateStack(app, {
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    ...(config.stateBackend.type === 's3' ? { bucketName: config.stateBackend.bucket } : {}),
  });
  new NetworkStack(app, {
    stateBackend: stateBackendOf(config),
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    availabilityZones: config.availabilityZones,
    cockroachVpc: config.network.cockroachVpc,
    oryVpc: config.network.oryVpc,
    natGateways: config.network.natGateways,
    flowLogsRetentionDays: config.network.flowLogsRetentionDays,
    privateZoneName: config.network.privateZoneName,
    eksClusterName: eksClusterNameOf(config),
    alarmSubscriptions: config.monitoring.alarmSubscriptions,
  });
  buildCockroachStacks(app, config);
  buildEksStack(app, config);
  new OryStack(app, oryStackProps(config));
}

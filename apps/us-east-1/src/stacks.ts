import { OryStack } from '@crdb-ory/ory';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';
import { oryStackProps } from './ory-stack-props';

/**
 * Adds every stack of the deployment to `app`. Stack names are API (they are the state
 * keys and the names of `cdktf deploy <stack>`); deploy order: state, network,
 * cockroach-pki, cockroach and eks, ory.
 */
export function buildStacks(app: App, config: DeploymentConfig): void {
  new OryStack(app, oryStackProps(config));
}

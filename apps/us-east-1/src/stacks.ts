import { CockroachBackupStack, CockroachPkiStack, CockroachStack } from '@crdb-ory/cockroach';
import {
  cockroachBackupStackProps,
  cockroachPkiStackProps,
  cockroachStackProps,
  eksStackProps,
  networkStackProps,
  oryStackProps,
  stateStackProps,
  suppressDisabledCockroachRules,
} from '@crdb-ory/deployment';
import { EksStack } from '@crdb-ory/eks';
import { NetworkStack } from '@crdb-ory/network';
import { OryStack } from '@crdb-ory/ory';
import { StateStack } from '@crdb-ory/state';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';

/**
 * Adds every stack of the deployment to `app`. Stack names are API (they are the state
 * keys and the names of `cdktf deploy <stack>`); deploy order: state, network,
 * cockroach-pki and cockroach-backup, cockroach and eks, ory.
 */
export function buildStacks(app: App, config: DeploymentConfig): void {
  new StateStack(app, stateStackProps(config));
  new NetworkStack(app, networkStackProps(config));
  new CockroachPkiStack(app, cockroachPkiStackProps(config));
  const backup = cockroachBackupStackProps(config);
  if (backup) new CockroachBackupStack(app, backup);
  suppressDisabledCockroachRules(new CockroachStack(app, cockroachStackProps(config)), config);
  new EksStack(app, eksStackProps(config));
  new OryStack(app, oryStackProps(config));
}

import { DEFAULT_NAME_PREFIX } from '@crdb-ory/core';
import { COCKROACH_DEFAULTS } from './cockroach-config';
import { EKS_DEFAULTS } from './eks-config';
import { MONITORING_DEFAULTS } from './monitoring-config';
import { NETWORK_DEFAULTS } from './network-config';
import { ORY_DEFAULTS } from './ory-config';
import type { DeploymentConfig } from './schema';

/** The reference architecture in us-east-1. Users override any part of it in their config file. */
export const DEFAULT_CONFIG: DeploymentConfig = {
  region: 'us-east-1',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  namePrefix: DEFAULT_NAME_PREFIX,
  tags: { Project: 'crdb-ory', ManagedBy: 'cdktf' },
  stateBackend: { type: 'local' },
  publicAccessCidrs: [],
  network: NETWORK_DEFAULTS,
  cockroach: COCKROACH_DEFAULTS,
  eks: EKS_DEFAULTS,
  ory: ORY_DEFAULTS,
  monitoring: MONITORING_DEFAULTS,
};

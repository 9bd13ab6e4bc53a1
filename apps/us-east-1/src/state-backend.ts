import type { StateBackendConfig } from '@crdb-ory/core';
import { STATE_STACK_NAME } from '@crdb-ory/state';
import type { DeploymentConfig } from './config';

/**
 * The validated backend settings as core's StateBackendConfig (the S3 region defaults to the
 * deployment's). The `state` stack creates the S3 bucket (`stateBackend.bucket`), so every stack
 * that keeps its state there depends on it.
 */
export function stateBackendOf(config: DeploymentConfig): StateBackendConfig {
  const backend = config.stateBackend;
  if (backend.type === 'local') return backend;
  return { type: 's3', bucket: backend.bucket, keyPrefix: backend.keyPrefix, region: backend.region ?? config.region, bucketStack: STATE_STACK_NAME };
}

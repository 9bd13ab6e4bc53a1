import type { StateBackendConfig } from '@crdb-ory/core';
import type { DeploymentConfig } from './config';

/** The validated backend settings as core's StateBackendConfig (the S3 region defaults to the deployment's). */
export function stateBackendOf(config: DeploymentConfig): StateBackendConfig {
  const backend = config.stateBackend;
  if (backend.type === 'local') return backend;
  return { type: 's3', bucket: backend.bucket, keyPrefix: backend.keyPrefix, region: backend.region ?? config.region };
}

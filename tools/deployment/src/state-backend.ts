import { type StateBackendConfig, stateKeyAlias } from '@crdb-ory/core';
import { STATE_STACK_NAME } from '@crdb-ory/state';
import type { DeploymentConfig } from './config';

/**
 * The validated backend settings as core's StateBackendConfig (the S3 region defaults to the
 * deployment's). The `state` stack creates the S3 bucket (`stateBackend.bucket`) and the key that
 * encrypts every state object (`alias/<namePrefix>-tfstate`, the backend's `kms_key_id`), so every
 * stack that keeps its state there depends on it.
 */
export function stateBackendOf(config: DeploymentConfig): StateBackendConfig {
  const backend = config.stateBackend;
  if (backend.type === 'local') return backend;
  return { type: 's3', bucket: backend.bucket, keyPrefix: backend.keyPrefix, region: backend.region ?? config.region, kmsKeyId: stateKeyAlias(config.namePrefix), bucketStack: STATE_STACK_NAME };
}

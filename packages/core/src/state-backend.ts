import { DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, LocalBackend, S3Backend, TerraformRemoteState, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Where every stack keeps its Terraform state.
 *
 * - `local`: a file per stack at the project root (`terraform.<stack>.tfstate`). Needs nothing,
 *   suits a first try; not for teams.
 * - `s3`: one object per stack (`<keyPrefix>/<stack>.tfstate`) in a bucket created by the
 *   `state` stack, encrypted, with S3-native locking (`use_lockfile`).
 */
export type StateBackendConfig = LocalStateBackendConfig | S3StateBackendConfig;

export interface LocalStateBackendConfig {
  readonly type: 'local';
}

export interface S3StateBackendConfig {
  readonly type: 's3';
  /** Name of the state bucket (the `state` stack creates it). */
  readonly bucket: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Prefix of every stack's state key. */
  readonly keyPrefix: string;
  /** KMS key for the state objects. @default the bucket's default encryption */
  readonly kmsKeyId?: string;
  /**
   * The stack of the same app that creates `bucket` (the `state` stack). Every stack that keeps
   * its state in the bucket depends on it: it must exist before their first plan and outlive
   * their destroy. @default none: the bucket is made outside the app
   */
  readonly bucketStack?: string;
}

/** Relative to a stack's working directory, `cdktf.out/stacks/<stack>`: the project root. */
const LOCAL_STATE_DIR = '../../..';

export function localStatePath(stackName: string): string {
  return `${LOCAL_STATE_DIR}/terraform.${stackName}.tfstate`;
}

export function s3StateKey(config: S3StateBackendConfig, stackName: string): string {
  return `${config.keyPrefix.replace(/\/+$/, '')}/${stackName}.tfstate`;
}

/** Configures `stack`'s backend. The local path is relative so synthesized JSON holds no machine path. */
export function configureStateBackend(stack: TerraformStack, stackName: string, config: StateBackendConfig): void {
  if (config.type === 'local') {
    new LocalBackend(stack, { path: localStatePath(stackName) });
    return;
  }
  new S3Backend(stack, {
    bucket: config.bucket,
    key: s3StateKey(config, stackName),
    region: config.region,
    encrypt: true,
    ...(config.kmsKeyId ? { kmsKeyId: config.kmsKeyId } : {}),
  });
  // cdktf 0.21's S3Backend predates S3-native locking (Terraform >= 1.10).
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

/** A `terraform_remote_state` data source that reads `stackName`'s state from the same backend. */
export function remoteStateFor(scope: Construct, id: string, stackName: string, config: StateBackendConfig): TerraformRemoteState {
  if (config.type === 'local') {
    return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(stackName) });
  }
  return new DataTerraformRemoteStateS3(scope, id, {
    bucket: config.bucket,
    key: s3StateKey(config, stackName),
    region: config.region,
  });
}

/**
 * Tag every resource of a stack carries (provider default tags): where the state that manages it
 * lives. Plan-time quota checks tell the stack's own resources from the rest of the account by it,
 * so a re-plan, or a renamed `namePrefix`, does not count them twice. Two environments never share
 * a state object, so they never share the tag.
 */
export const STATE_TAG_KEY = 'TerraformState';

/** `s3://<bucket>/<key>` or `local:<path>` of `stackName`'s state, at most 256 characters (AWS's limit for a tag value). */
export function stateAddress(config: StateBackendConfig, stackName: string): string {
  const address = config.type === 'local' ? `local:${localStatePath(stackName).replace(/^(\.\.\/)+/, '')}` : `s3://${config.bucket}/${s3StateKey(config, stackName)}`;
  return address.length <= 256 ? address : `${address.slice(0, 240)}...${address.length}`;
}

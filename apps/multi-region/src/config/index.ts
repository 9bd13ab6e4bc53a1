import { type ConfigSpec, type LoadedConfig, readConfigWith, resolveConfigWith } from '@crdb-ory/deployment';
import { MULTI_REGION_RULES } from './rules';
import { MULTI_REGION_DEFAULTS, type MultiRegionConfig, multiRegionConfig } from './schema';

export * from './region-view';
export * from './rules';
export * from './schema';

/** The multi-region app's configuration: its schema, defaults and rules (the configuring file is found as the single-region app finds its own). */
export const MULTI_REGION_CONFIG_SPEC: ConfigSpec<MultiRegionConfig> = {
  schema: multiRegionConfig,
  defaults: MULTI_REGION_DEFAULTS,
  rules: MULTI_REGION_RULES,
  derive: (config) => (config.stateBackend.type === 's3' && !config.stateBackend.region ? { ...config, stateBackend: { ...config.stateBackend, region: config.primaryRegion } } : config),
};

/** Merges `overrides` over the defaults and validates them; throws a ConfigError naming every setting that is wrong. */
export function resolveMultiRegionConfig(overrides: unknown, source = 'defaults'): MultiRegionConfig {
  return resolveConfigWith(MULTI_REGION_CONFIG_SPEC, overrides, source);
}

/** Reads the configuring file (`CRDB_ORY_CONFIG`, else `crdb-ory.config.json`, else the defaults) and resolves it. */
export function readMultiRegionConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig<MultiRegionConfig> {
  return readConfigWith(MULTI_REGION_CONFIG_SPEC, env, cwd);
}

import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, ConfigIssue } from './config-error';
import { DEFAULT_CONFIG } from './defaults';
import { CONFIG_RULES } from './rules';
import { DeploymentConfig, deploymentConfig } from './schema';

/** The config file read when `CRDB_ORY_CONFIG` is not set, relative to the project root. */
export const DEFAULT_CONFIG_FILE = 'crdb-ory.config.json';
export const CONFIG_FILE_ENV = 'CRDB_ORY_CONFIG';

/**
 * Merges `overrides` over the defaults and validates the result: structure and unknown keys
 * first, then the cross-setting rules. Throws a ConfigError listing every problem.
 */
export function resolveConfig(overrides: unknown, source = 'defaults'): DeploymentConfig {
  if (overrides !== undefined && !isPlainObject(overrides)) {
    throw new ConfigError(source, [{ setting: '', value: overrides, message: 'must be a JSON object of settings' }]);
  }
  const merged = deepMerge(DEFAULT_CONFIG, overrides ?? {});
  const result = deploymentConfig.safeParse(merged);
  if (!result.success) throw new ConfigError(source, result.error.issues.flatMap((issue) => toConfigIssues(issue, merged)));
  const issues = CONFIG_RULES.flatMap((rule) => rule(result.data));
  if (issues.length > 0) throw new ConfigError(source, issues);
  return withDerivedDefaults(result.data);
}

/** Reads the config file (`CRDB_ORY_CONFIG`, else `crdb-ory.config.json` if present) and resolves it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DeploymentConfig {
  const explicit = env[CONFIG_FILE_ENV];
  const file = explicit ?? `${cwd}/${DEFAULT_CONFIG_FILE}`;
  if (!explicit && !existsSync(file)) return resolveConfig(undefined);
  if (!existsSync(file)) {
    throw new ConfigError(file, [{ setting: CONFIG_FILE_ENV, value: explicit, message: 'names a file that does not exist' }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [{ setting: '', value: undefined, message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  return resolveConfig(parsed, file);
}

function withDerivedDefaults(config: DeploymentConfig): DeploymentConfig {
  if (config.stateBackend.type === 's3' && !config.stateBackend.region) {
    return { ...config, stateBackend: { ...config.stateBackend, region: config.region } };
  }
  return config;
}

function toConfigIssues(issue: z.core.$ZodIssue, input: unknown): ConfigIssue[] {
  const setting = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(setting);
    return issue.keys.map((key) => ({
      setting: setting ? `${setting}.${key}` : key,
      value: undefined,
      message: `is not a known setting${allowed ? `; allowed here: ${allowed}` : ''}`,
    }));
  }
  return [{ setting, value: valueAt(input, issue.path), message: issue.message }];
}

function allowedKeys(setting: string): string | undefined {
  const value = valueAt(DEFAULT_CONFIG, setting ? setting.split('.') : []);
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (!setting) keys.push('domain');
  return keys.join(', ');
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>((node, part) => (node != null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[part] : undefined), root);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars replace. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}

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
    const allowed = allowedKeys(issue.path, input);
    return issue.keys.map((key) => ({
      setting: setting ? `${setting}.${key}` : key,
      value: undefined,
      message: `is not a known setting${allowed ? `; allowed here: ${allowed}` : ''}`,
    }));
  }
  return [{ setting, value: valueAt(input, issue.path), message: issue.message }];
}

/** The keys the schema allows where an unknown key was found, optional ones included. */
function allowedKeys(path: ReadonlyArray<PropertyKey>, input: unknown): string | undefined {
  const schema = path.reduce<z.ZodType | undefined>((node, part, i) => (node ? child(unwrap(node, valueAt(input, path.slice(0, i))), part) : undefined), deploymentConfig);
  const object = schema && unwrap(schema, valueAt(input, path));
  return object instanceof z.ZodObject ? Object.keys(object.shape).join(', ') : undefined;
}

function child(schema: z.ZodType, part: PropertyKey): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(part)];
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return undefined;
}

/** Strips optional/default wrappers; picks the union member whose `type` matches the input. */
function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as z.ZodType[];
    const type = isPlainObject(value) ? value['type'] : undefined;
    const match = options.find((option) => option instanceof z.ZodObject && (option.shape as Record<string, z.ZodType>)['type']?.safeParse(type).success);
    return match ?? options[0]!;
  }
  return schema;
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

import { ConfigurationFingerprint, configurationFingerprint } from '@crdb-ory/core/configuration-source';
import { readFileSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { ConfigError, ConfigIssue } from './config-error';
import { JsonSyntaxError, parseConfigJson, settingPath } from './config-json';
import { CONFIG_FILE_ENV, ConfigSource, DEFAULT_CONFIG_FILE, configSource } from './config-source';
import { DEFAULT_CONFIG } from './defaults';
import { CONFIG_RULES } from './rules';
import { DeploymentConfig, deploymentConfig } from './schema';
import { isPlainObject, toConfigIssues } from './schema-issues';

/**
 * What an app's configuration is: its schema (shape only), its defaults (users override any part),
 * its cross-setting rules, and what is derived from the validated settings.
 */
export interface ConfigSpec<T> {
  readonly schema: z.ZodType<T>;
  readonly defaults: T;
  /** Each rule's problems under their setting paths; `context.allDefaults` says whether the settings are the defaults. */
  readonly rules: ReadonlyArray<(config: T, context: RuleContext) => ConfigIssue[]>;
  /** Settings derived from others once they are valid. @default none */
  readonly derive?: (config: T) => T;
}

/** What a rule knows besides the settings. */
export interface RuleContext {
  /** The settings are the app's defaults (`npm run synth` on a fresh clone must work). */
  readonly allDefaults: boolean;
}

/** The single-region app's configuration. */
export const DEPLOYMENT_CONFIG_SPEC: ConfigSpec<DeploymentConfig> = { schema: deploymentConfig, defaults: DEFAULT_CONFIG, rules: CONFIG_RULES, derive: withDerivedDefaults };

/** A validated configuration and where it came from. */
export interface LoadedConfig<T = DeploymentConfig> {
  readonly config: T;
  readonly source: ConfigSource;
  /** SHA-256 of the config file's bytes; undefined for the defaults. */
  readonly sha256?: string;
  /** What a synthesis from it records (source and SHA-256), for the commands that read the synthesis output. */
  readonly fingerprint: ConfigurationFingerprint;
}

/**
 * Merges `overrides` over the defaults and validates the result: structure and unknown keys
 * first, then the cross-setting rules. Throws a ConfigError listing every problem.
 */
export function resolveConfig(overrides: unknown, source = 'defaults'): DeploymentConfig {
  return resolveConfigWith(DEPLOYMENT_CONFIG_SPEC, overrides, source);
}

/** `resolveConfig` for any app's configuration (`spec`). */
export function resolveConfigWith<T>(spec: ConfigSpec<T>, overrides: unknown, source = 'defaults'): T {
  if (overrides !== undefined && !isPlainObject(overrides)) {
    throw new ConfigError(source, [{ setting: '', value: overrides, message: 'must be a JSON object of settings' }]);
  }
  const forbidden = protoKeys(overrides, []);
  if (forbidden.length > 0) throw new ConfigError(source, forbidden);
  const merged = deepMerge(spec.defaults, overrides ?? {});
  const result = spec.schema.safeParse(merged);
  if (!result.success) throw new ConfigError(source, result.error.issues.flatMap((issue) => toConfigIssues(issue, merged, spec.schema)));
  const context: RuleContext = { allDefaults: isDeepStrictEqual(result.data, spec.defaults) };
  const issues = distinctIssues(spec.rules.flatMap((rule) => rule(result.data, context)));
  if (issues.length > 0) throw new ConfigError(source, issues);
  return spec.derive ? spec.derive(result.data) : result.data;
}

/** Reads the configuring file (see `configSource`) and resolves it; also says where it came from. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig {
  return readConfigWith(DEPLOYMENT_CONFIG_SPEC, env, cwd);
}

/** `readConfig` for any app's configuration (`spec`). */
export function readConfigWith<T>(spec: ConfigSpec<T>, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LoadedConfig<T> {
  const source = configSource(env, cwd);
  if (source.kind === 'defaults') return { config: resolveConfigWith(spec, undefined), source, fingerprint: configurationFingerprint(source, undefined, cwd) };
  const bytes = readConfigBytes(source);
  const label = source.path;
  const text = bytes.toString('utf8');
  if (text.startsWith('\uFEFF')) {
    throw new ConfigError(label, [
      { setting: '(file)', value: undefined, message: 'starts with a UTF-8 byte order mark (bytes EF BB BF); allowed: plain UTF-8 JSON without a byte order mark (save the file as "UTF-8", not "UTF-8 with BOM")' },
    ]);
  }
  const parsed = parseJson(text, label);
  if (parsed.issues.length > 0) throw new ConfigError(label, parsed.issues);
  const fingerprint = configurationFingerprint(source, bytes, cwd);
  return { config: resolveShowingNumbers(spec, parsed, label), source, sha256: fingerprint.sha256 ?? undefined, fingerprint };
}

/** `resolveConfigWith`, with numbers JSON cannot carry shown as written (`1e400`, not Infinity). */
function resolveShowingNumbers<T>(spec: ConfigSpec<T>, parsed: ReturnType<typeof parseConfigJson>, label: string): T {
  try {
    return resolveConfigWith(spec, parsed.value, label);
  } catch (error) {
    if (!(error instanceof ConfigError) || parsed.nonFiniteNumbers.size === 0) throw error;
    throw new ConfigError(
      label,
      error.issues.map((issue) => {
        const written = parsed.nonFiniteNumbers.get(issue.setting);
        return written ? { ...issue, valueText: written } : issue;
      }),
    );
  }
}

/** Reads and resolves the configuration (see `readConfig`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DeploymentConfig {
  return readConfig(env, cwd).config;
}

function readConfigBytes(source: Extract<ConfigSource, { kind: 'file' }>): Buffer {
  const setting = source.via === 'env' ? CONFIG_FILE_ENV : DEFAULT_CONFIG_FILE;
  const fail = (message: string): never => {
    throw new ConfigError(source.path, [{ setting, value: source.path, message }]);
  };
  let isDirectory = false;
  try {
    isDirectory = statSync(source.path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'names a file that does not exist' : `cannot be read (${code ?? (error as Error).message})`);
  }
  if (isDirectory) return fail(`names a directory, not a file; allowed: the path of a JSON config file (e.g. ${DEFAULT_CONFIG_FILE} in that directory)`);
  try {
    return readFileSync(source.path);
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function parseJson(text: string, label: string): ReturnType<typeof parseConfigJson> {
  try {
    return parseConfigJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ConfigError(label, [{ setting: '(file)', value: undefined, message: `is not valid JSON: ${error.message}` }]);
    throw error;
  }
}

function withDerivedDefaults(config: DeploymentConfig): DeploymentConfig {
  if (config.stateBackend.type === 's3' && !config.stateBackend.region) {
    return { ...config, stateBackend: { ...config.stateBackend, region: config.region } };
  }
  return config;
}

/** Own `__proto__` keys anywhere in the overrides (JSON.parse creates them): never a setting. */
function protoKeys(value: unknown, path: ReadonlyArray<string | number>): ConfigIssue[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => protoKeys(item, [...path, i]));
  if (!isPlainObject(value)) return [];
  return Object.keys(value).flatMap((key) => [
    ...(key === '__proto__' ? [{ setting: settingPath([...path, key]), value: undefined, message: 'is not allowed: "__proto__" is never a setting' }] : []),
    ...protoKeys(value[key], [...path, key]),
  ]);
}

/** Objects merge key by key (own keys only, into fresh objects); arrays and scalars replace. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(override)) {
    Object.defineProperty(out, key, { value: deepMerge(base[key], override[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Two rules that share a library rule (a CIDR list checked by its library and by the app) report a problem once. */
function distinctIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.setting, issue.message, issue.value]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

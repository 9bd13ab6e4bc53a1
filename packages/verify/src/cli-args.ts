import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OptionSpec, UsageError, parseCommandLine as readCommandLine } from '@crdb-ory/core/command-line';
import { SOURCE_LABELS, type SettingSource } from './config';
import { ConfigError } from './errors';
import { envName, flagName, SETTINGS } from './settings';
import { COCKROACH_OUTPUTS_FILE, settingsFromTerraformOutputs } from './terraform-outputs';

/** Options that pick sources rather than set a setting. */
const SOURCE_OPTIONS = {
  config: { env: 'CRDB_ORY_VERIFY_CONFIG', description: 'JSON file of settings; keys are the camelCase setting names (e.g. "hydraPublicUrl")' },
  'terraform-outputs': { env: 'CRDB_ORY_VERIFY_TERRAFORM_OUTPUTS', description: `\`terraform output -json\` of the cockroach stack: a file, or a directory holding ${COCKROACH_OUTPUTS_FILE}` },
} as const;

export const BIN_NAME = 'crdb-ory-verify';

function parseOptions(): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = { help: { type: 'boolean', short: 'h' } };
  for (const name of Object.keys(SOURCE_OPTIONS)) options[name] = { type: 'string' };
  for (const [key, spec] of Object.entries(SETTINGS)) options[flagName(key)] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  return options;
}

function describeDefault(value: unknown): string {
  if (value === undefined) return '';
  return ` [default: ${Array.isArray(value) ? value.join(',') : String(value)}]`;
}

/** `--help`: every option with its environment variable and default. */
export function helpText(): string {
  const lines = [
    `Usage: ${BIN_NAME} [options]`,
    '',
    'Proves a CockroachDB + Ory deployment end to end: exercises Hydra, Kratos and Keto through',
    'their HTTP APIs, then finds the rows they wrote in CockroachDB (sslmode=verify-full, client',
    'certificates). Precedence: flags > environment > --config file > --terraform-outputs > defaults.',
    '',
    'Options:',
    '  -h, --help'.padEnd(34) + 'Show this help',
  ];
  for (const [name, option] of Object.entries(SOURCE_OPTIONS)) {
    lines.push(`  --${name} <path>`.padEnd(34) + `${option.description} (env ${option.env})`);
  }
  for (const [key, spec] of Object.entries(SETTINGS)) {
    const arg = spec.type === 'boolean' ? '' : spec.type === 'integer' ? ' <n>' : spec.type === 'list' || spec.type === 'regions' ? ' <list>' : spec.type === 'endpoints' ? ' <file>' : spec.url ? ' <url>' : ' <value>';
    lines.push(`  --${flagName(key)}${arg}`.padEnd(34) + `${spec.description}${describeDefault(spec.default)} (env ${envName(key)})`);
  }
  lines.push(
    '',
    'Exit codes: 0 every check passed, 1 a check failed, 2 bad usage or configuration.',
    'Progress goes to stderr; records and the summary (or --json) to stdout.',
    '',
  );
  return lines.join('\n');
}

export interface ParsedCommandLine {
  readonly help: boolean;
  /** Setting sources, highest precedence first. */
  readonly sources: SettingSource[];
}

async function readJsonFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

async function configFileSource(path: string): Promise<SettingSource> {
  const text = await readJsonFile(path, 'config file');
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not JSON (${(error as Error).message}).`);
  }
  if (!values || typeof values !== 'object' || Array.isArray(values)) {
    throw new ConfigError(`Config file ${path} has value ${JSON.stringify(values)}; allowed: a JSON object of settings.`);
  }
  return { label: SOURCE_LABELS.file(path), values: values as Record<string, unknown> };
}

/** A setting of type `endpoints` given as a path (flag, environment, config file) is read as that JSON file. */
async function withEndpointFiles(source: SettingSource): Promise<SettingSource> {
  const entries = await Promise.all(
    Object.entries(source.values).map(async ([key, value]) => {
      if (SETTINGS[key]?.type !== 'endpoints' || typeof value !== 'string') return [key, value] as const;
      const text = await readJsonFile(value, `${flagName(key)} file`);
      try {
        return [key, JSON.parse(text)] as const;
      } catch (error) {
        throw new ConfigError(`Setting "${key}" (${source.label(key)}): ${value} is not JSON (${(error as Error).message}).`);
      }
    }),
  );
  return { label: source.label, values: Object.fromEntries(entries) };
}

async function terraformSource(path: string): Promise<SettingSource> {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, COCKROACH_OUTPUTS_FILE);
  } catch {
    // reported below as an unreadable file
  }
  const values = settingsFromTerraformOutputs(await readJsonFile(file, 'Terraform outputs file'), file);
  return { label: SOURCE_LABELS.terraform(file), values };
}

/** Flags and environment into setting sources; usage errors are ConfigErrors (exit code 2). */
export async function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<ParsedCommandLine> {
  let flags: Readonly<Record<string, string | boolean | undefined>>;
  try {
    ({ values: flags } = readCommandLine(argv, { options: parseOptions() }));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new ConfigError(`${error.message}. See --help.`);
  }
  if (flags['help']) return { help: true, sources: [] };
  const fromFlags: Record<string, unknown> = {};
  const fromEnv: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS)) {
    if (flags[flagName(key)] !== undefined) fromFlags[key] = flags[flagName(key)];
    if (env[envName(key)] !== undefined) fromEnv[key] = env[envName(key)];
  }
  const sources: SettingSource[] = [
    await withEndpointFiles({ label: SOURCE_LABELS.flag, values: fromFlags }),
    await withEndpointFiles({ label: SOURCE_LABELS.env, values: fromEnv }),
  ];
  const configPath = (flags['config'] as string | undefined) ?? env[SOURCE_OPTIONS.config.env];
  if (configPath) sources.push(await withEndpointFiles(await configFileSource(configPath)));
  const outputsPath = (flags['terraform-outputs'] as string | undefined) ?? env[SOURCE_OPTIONS['terraform-outputs'].env];
  if (outputsPath) sources.push(await terraformSource(outputsPath));
  return { help: false, sources };
}

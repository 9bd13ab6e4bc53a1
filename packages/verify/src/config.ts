import { join } from 'node:path';
import { desiredRegionsProblems } from '@crdb-ory/cockroach/multi-region';
import { ConfigError } from './errors';
import { CHECK_GROUPS, envName, flagName, REGIONS_GROUP, SERVICES, SETTINGS, type CheckGroup, type ServiceName, type SettingSpec } from './settings';

/** Where a connection to one service's database goes, with verify-full TLS material. */
export interface DbTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly sslrootcert: string;
  readonly sslcert: string;
  readonly sslkey: string;
}

/** One service to verify: its API endpoints and its database. */
export interface ServiceTarget {
  readonly service: ServiceName;
  /** `publicUrl`/`adminUrl` (Hydra, Kratos) or `readUrl`/`writeUrl` (Keto), without trailing slash. */
  readonly urls: Readonly<Record<string, string>>;
  readonly db: DbTarget;
  readonly tableOwner?: string;
  /**
   * Multi-region (`--region-endpoints`): every region's endpoints of this service, in region
   * order. The flow then runs across regions (each region writes, the next one reads) instead of
   * through `urls`, which holds the first region's.
   */
  readonly regions?: readonly RegionUrls[];
}

/** One region's endpoints of one service (`publicUrl`/`adminUrl` or `readUrl`/`writeUrl`). */
export interface RegionUrls {
  readonly region: string;
  readonly urls: Readonly<Record<string, string>>;
}

/** One region's Ory endpoints, by URL setting (`hydraPublicUrl`, ...), as `--region-endpoints` gives them. */
export interface RegionEndpoints {
  readonly region: string;
  readonly settings: Readonly<Record<string, string>>;
}

/** The Ory databases' multi-region state to check: where to ask, and the regions expected. */
export interface DatabaseRegionsTarget {
  /** Any database the user may connect to: SHOW DATABASES lists every database it may access. */
  readonly db: DbTarget;
  /** Primary first, then secondary, then the others. */
  readonly regions: readonly string[];
  /** The databases whose regions are checked: the services' databases. */
  readonly databases: readonly string[];
}

/** The cluster's backups: where to ask, and what must hold. */
export interface BackupTarget {
  /** Any database the user may connect to: schedules and jobs are cluster-wide. */
  readonly db: DbTarget;
  readonly scheduleLabel: string;
  /** The S3 bucket every schedule of the label must write to; not checked when undefined. */
  readonly bucketName?: string;
  /** Overrides the window derived from the schedules' recurrence. */
  readonly windowMinutes?: number;
}

export interface VerifyConfig {
  readonly services: readonly ServiceTarget[];
  /** Set when `--services` includes `backups` (the default). */
  readonly backups?: BackupTarget;
  /** Set by `--database-regions` (multi-region). */
  readonly databaseRegions?: DatabaseRegionsTarget;
  readonly ketoNamespace: string;
  readonly ketoVerifierId: string;
  readonly kratosIdentitySchemaId: string;
  /** A certificate with fewer days left fails the certificates check. */
  readonly certExpiryMinDays: number;
  readonly timeoutMs: number;
  readonly repeat: number;
  readonly keep: boolean;
  readonly json: boolean;
}

/** Values from one source; `label` names the source in error messages. */
export interface SettingSource {
  readonly label: (key: string) => string;
  readonly values: Readonly<Record<string, unknown>>;
}

type Value = string | number | boolean | string[] | RegionEndpoints[];

export const SOURCE_LABELS = {
  flag: (key: string) => `flag --${flagName(key)}`,
  env: (key: string) => `environment variable ${envName(key)}`,
  file: (file: string) => (key: string) => `config file ${file}, key "${key}"`,
  terraform: (file: string) => (key: string) => `Terraform outputs ${file} (setting "${key}")`,
};

function allowed(spec: SettingSpec): string {
  switch (spec.type) {
    case 'integer':
      return `an integer from ${spec.range?.[0]} to ${spec.range?.[1]}`;
    case 'boolean':
      return 'true or false';
    case 'list':
      return `a comma-separated list of ${CHECK_GROUPS.join(', ')}`;
    case 'regions':
      return 'a comma-separated list of region names (lower-case letters, digits and "-"), each once, primary first';
    case 'endpoints':
      return `a JSON object of two or more regions, each an object of URL settings (${Object.keys(SETTINGS).filter((k) => SETTINGS[k]?.url).join(', ')})`;
    default:
      return spec.url ? 'an http:// or https:// URL' : 'a non-empty string';
  }
}

function invalid(key: string, label: string, raw: unknown, spec: SettingSpec): ConfigError {
  return new ConfigError(`Setting "${key}" (${label}) has value ${JSON.stringify(raw)}; allowed: ${allowed(spec)}.`);
}

function parseValue(key: string, spec: SettingSpec, raw: unknown, label: string): Value {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.type) {
    case 'integer': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n) || (spec.range && (n < spec.range[0] || n > spec.range[1]))) throw invalid(key, label, raw, spec);
      return n;
    }
    case 'boolean':
      if (typeof text === 'boolean') return text;
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw invalid(key, label, raw, spec);
    case 'list': {
      const items = Array.isArray(text) ? text : typeof text === 'string' ? text.split(',').map((s) => s.trim()) : null;
      if (!items || items.length === 0 || items.some((s) => !(CHECK_GROUPS as readonly unknown[]).includes(s))) throw invalid(key, label, raw, spec);
      return [...new Set(items as string[])];
    }
    case 'regions': {
      const regions = Array.isArray(text) ? text : typeof text === 'string' ? text.split(',').map((r) => r.trim()) : null;
      if (!regions || regions.some((r) => typeof r !== 'string')) throw invalid(key, label, raw, spec);
      const problems = desiredRegionsProblems({ regions });
      if (problems.length > 0) throw new ConfigError(`Setting "${key}" (${label}) has value ${JSON.stringify(raw)}: ${problems.join('; ')}; allowed: ${allowed(spec)}.`);
      return regions as string[];
    }
    case 'endpoints':
      return parseRegionEndpoints(key, spec, raw, label);
    default: {
      if (typeof text !== 'string' || text === '') throw invalid(key, label, raw, spec);
      if (spec.url && !/^https?:\/\/[^/\s]+/.test(text)) throw invalid(key, label, raw, spec);
      return spec.url ? text.replace(/\/+$/, '') : text;
    }
  }
}

/** `{"<region>": {"<url setting>": "<url>", ...}, ...}`: two or more regions, in the object's order, each URL valid. */
function parseRegionEndpoints(key: string, spec: SettingSpec, raw: unknown, label: string): RegionEndpoints[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(key, label, raw, spec);
  const entries = Object.entries(raw as Record<string, unknown>);
  const problems = desiredRegionsProblems({ regions: entries.map(([region]) => region) });
  if (entries.length < 2) problems.push(`${entries.length} region(s), a cross-region flow needs two or more`);
  if (problems.length > 0) throw new ConfigError(`Setting "${key}" (${label}): ${problems.join('; ')}; allowed: ${allowed(spec)}.`);
  return entries.map(([region, urls]) => {
    if (!urls || typeof urls !== 'object' || Array.isArray(urls)) throw new ConfigError(`Setting "${key}" (${label}), region "${region}" has value ${JSON.stringify(urls)}; allowed: an object of URL settings.`);
    const settings: Record<string, string> = {};
    for (const [urlKey, url] of Object.entries(urls as Record<string, unknown>)) {
      const urlSpec = SETTINGS[urlKey];
      if (!urlSpec?.url) throw new ConfigError(`Setting "${key}" (${label}), region "${region}" has unknown key "${urlKey}"; allowed: ${allowed(spec)}.`);
      settings[urlKey] = parseValue(urlKey, urlSpec, url, `${label}, region "${region}"`) as string;
    }
    return { region, settings };
  });
}

/** Picks every setting from the first source that sets it (sources highest precedence first), else its default. */
function mergeSources(sources: readonly SettingSource[]): Map<string, Value> {
  const merged = new Map<string, Value>();
  for (const source of [...sources].reverse()) {
    for (const [key, raw] of Object.entries(source.values)) {
      const spec = SETTINGS[key];
      if (!spec) {
        throw new ConfigError(`Unknown setting "${key}" (${source.label(key)}); allowed: ${Object.keys(SETTINGS).join(', ')}.`);
      }
      if (raw === undefined) continue;
      merged.set(key, parseValue(key, spec, raw, source.label(key)));
    }
  }
  for (const [key, spec] of Object.entries(SETTINGS)) {
    if (!merged.has(key) && spec.default !== undefined) merged.set(key, spec.default as Value);
  }
  return merged;
}

type ConnectingGroup = CheckGroup | typeof REGIONS_GROUP;

function required(values: Map<string, Value>, key: string, service: ConnectingGroup, hint = ''): string {
  const value = values.get(key);
  if (typeof value !== 'string') {
    throw new ConfigError(`Setting "${key}" is required to verify ${service}: set --${flagName(key)}, ${envName(key)} or "${key}" in the config file${hint}.`);
  }
  return value;
}

function certPath(values: Map<string, Value>, service: ConnectingGroup, kind: 'sslcert' | 'sslkey', user: string): string {
  const ownKey = `${service}Db${kind === 'sslcert' ? 'Sslcert' : 'Sslkey'}`;
  const own = values.get(ownKey) as string | undefined;
  const serviceUserSet = values.has(`${service}DbUser`);
  const shared = serviceUserSet ? undefined : (values.get(kind === 'sslcert' ? 'dbSslcert' : 'dbSslkey') as string | undefined);
  const certsDir = values.get('certsDir') as string | undefined;
  const fromDir = certsDir ? join(certsDir, `client.${user}.${kind === 'sslcert' ? 'crt' : 'key'}`) : undefined;
  const path = own ?? shared ?? fromDir;
  if (!path) {
    const key = kind === 'sslcert' ? 'dbSslcert' : 'dbSslkey';
    const alternative = SETTINGS[ownKey] ? ` (or --${flagName(ownKey)})` : '';
    throw new ConfigError(`Setting "${key}" is required to verify ${service}: set --${flagName(key)}${alternative}, or --certs-dir holding client.${user}.${kind === 'sslcert' ? 'crt' : 'key'}.`);
  }
  return path;
}

/** `hydraPublicUrl` -> `publicUrl`. */
function withoutServicePrefix(key: string, service: ServiceName): string {
  const rest = key.slice(service.length);
  return rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** The connection of a check group: its own user (services may have one) or --db-user, with verify-full material. */
function dbTarget(values: Map<string, Value>, group: ConnectingGroup, database: string): DbTarget {
  const ownUser = SETTINGS[`${group}DbUser`] ? (values.get(`${group}DbUser`) as string | undefined) : undefined;
  const user = ownUser ?? required(values, 'dbUser', group, SETTINGS[`${group}DbUser`] ? ` (or --${flagName(`${group}DbUser`)})` : '');
  const certsDir = values.get('certsDir') as string | undefined;
  const sslrootcert = (values.get('dbSslrootcert') as string | undefined) ?? (certsDir ? join(certsDir, 'ca.crt') : undefined);
  if (!sslrootcert) {
    throw new ConfigError(`Setting "dbSslrootcert" is required to verify ${group}: set --db-sslrootcert or --certs-dir (holding ca.crt); verify-full needs the cluster CA.`);
  }
  return {
    host: required(values, 'dbHost', group),
    port: values.get('dbPort') as number,
    database,
    user,
    sslrootcert,
    sslcert: certPath(values, group, 'sslcert', user),
    sslkey: certPath(values, group, 'sslkey', user),
  };
}

/** Each region's endpoints of `service` from `--region-endpoints`: every region must name all of them. */
function regionUrls(endpoints: readonly RegionEndpoints[], service: ServiceName, urlKeys: readonly string[]): RegionUrls[] {
  return endpoints.map(({ region, settings }) => {
    const missing = urlKeys.filter((key) => settings[key] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(`Setting "regionEndpoints", region "${region}" lacks ${missing.map((k) => `"${k}"`).join(', ')}, required to verify ${service} across regions.`);
    }
    return { region, urls: Object.fromEntries(urlKeys.map((key) => [withoutServicePrefix(key, service), settings[key] as string])) };
  });
}

function serviceTarget(values: Map<string, Value>, service: ServiceName): ServiceTarget {
  const urlKeys = Object.keys(SETTINGS).filter((key) => key.startsWith(service) && SETTINGS[key]?.url);
  const endpoints = values.get('regionEndpoints') as RegionEndpoints[] | undefined;
  const both = endpoints ? urlKeys.filter((key) => values.has(key)) : [];
  if (both.length > 0) {
    throw new ConfigError(`Settings ${both.map((k) => `"${k}"`).join(', ')} and "regionEndpoints" are both set; allowed: one of them (with --region-endpoints every region's URLs come from its file).`);
  }
  const regions = endpoints ? regionUrls(endpoints, service, urlKeys) : undefined;
  const urls = regions?.[0]?.urls ?? Object.fromEntries(urlKeys.map((key) => [withoutServicePrefix(key, service), required(values, key, service)]));
  const tableOwner = values.get(`${service}TableOwner`) as string | undefined;
  return {
    service,
    urls,
    db: dbTarget(values, service, values.get(`${service}DbName`) as string),
    ...(tableOwner ? { tableOwner } : {}),
    ...(regions ? { regions } : {}),
  };
}

/** The regions check reads SHOW DATABASES through Hydra's database (any database the verifier may connect to). */
function databaseRegionsTarget(values: Map<string, Value>, regions: string[]): DatabaseRegionsTarget {
  return {
    db: dbTarget(values, REGIONS_GROUP, values.get('hydraDbName') as string),
    regions,
    databases: SERVICES.map((s) => values.get(`${s}DbName`) as string),
  };
}

/** Schedules and jobs are cluster-wide: the check connects to Hydra's database, which the verifier user may read. */
function backupTarget(values: Map<string, Value>): BackupTarget {
  const bucketName = values.get('backupBucketName') as string | undefined;
  const windowMinutes = values.get('backupWindowMinutes') as number | undefined;
  return {
    db: dbTarget(values, 'backups', values.get('hydraDbName') as string),
    scheduleLabel: values.get('backupScheduleLabel') as string,
    ...(bucketName ? { bucketName } : {}),
    ...(windowMinutes ? { windowMinutes } : {}),
  };
}

/** Merges the sources (highest precedence first) over the defaults and validates what the chosen services need. */
export function resolveConfig(sources: readonly SettingSource[]): VerifyConfig {
  const values = mergeSources(sources);
  const chosen = values.get('services') as CheckGroup[];
  const regions = values.get('databaseRegions') as string[] | undefined;
  return {
    services: SERVICES.filter((s) => chosen.includes(s)).map((s) => serviceTarget(values, s)),
    ...(chosen.includes('backups') ? { backups: backupTarget(values) } : {}),
    ...(regions ? { databaseRegions: databaseRegionsTarget(values, regions) } : {}),
    ketoNamespace: values.get('ketoNamespace') as string,
    ketoVerifierId: values.get('ketoVerifierId') as string,
    kratosIdentitySchemaId: values.get('kratosIdentitySchemaId') as string,
    certExpiryMinDays: values.get('certExpiryMinDays') as number,
    timeoutMs: values.get('timeoutMs') as number,
    repeat: values.get('repeat') as number,
    keep: values.get('keep') as boolean,
    json: values.get('json') as boolean,
  };
}

/** The Ory services the tool can verify, in the order it runs them. */
export const SERVICES = ['hydra', 'kratos', 'keto'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What `--services` can select: the three services, then the cluster's backups (CockroachDB only). */
export const CHECK_GROUPS = [...SERVICES, 'backups'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** The check of the Ory databases' regions and survival goal (`--database-regions`; CockroachDB only). */
export const REGIONS_GROUP = 'regions';

/** A service's flow across regions: written through the first region's endpoints, read through the second's. */
export type CrossRegionGroup = `${ServiceName} ${string} → ${string}`;

/** What a step result belongs to: a check group, the regions check, or a cross-region flow. */
export type ReportGroup = CheckGroup | typeof REGIONS_GROUP | CrossRegionGroup;

export function crossRegionGroup(service: ServiceName, from: string, to: string): CrossRegionGroup {
  return `${service} ${from} → ${to}`;
}

export type SettingType = 'string' | 'integer' | 'boolean' | 'list' | 'regions' | 'endpoints';

/** One setting: its camelCase key is the config-file key; flag and env names derive from it. */
export interface SettingSpec {
  readonly type: SettingType;
  readonly description: string;
  /** Shown in `--help`; applied when no source sets the setting. */
  readonly default?: string | number | boolean | readonly string[];
  /** Smallest and largest allowed integer. */
  readonly range?: readonly [number, number];
  /** Where the setting is a path to an https/http endpoint. */
  readonly url?: boolean;
}

const ENDPOINTS: Record<ServiceName, Record<string, string>> = {
  hydra: { PublicUrl: 'Hydra public API (port 4444), e.g. https://hydra.example.com', AdminUrl: 'Hydra admin API (port 4445, cluster-internal)' },
  kratos: { PublicUrl: 'Kratos public API (port 4433)', AdminUrl: 'Kratos admin API (port 4434, cluster-internal)' },
  keto: { ReadUrl: 'Keto read API (port 4466)', WriteUrl: 'Keto write API (port 4467, cluster-internal)' },
};

function serviceSettings(service: ServiceName): Record<string, SettingSpec> {
  const settings: Record<string, SettingSpec> = {};
  for (const [suffix, description] of Object.entries(ENDPOINTS[service])) {
    settings[`${service}${suffix}`] = { type: 'string', url: true, description };
  }
  settings[`${service}DbName`] = { type: 'string', default: service, description: `Database of ${service}` };
  settings[`${service}DbUser`] = { type: 'string', description: `SQL user for ${service}'s checks (default: --db-user)` };
  settings[`${service}DbSslcert`] = { type: 'string', description: `Client certificate of --${service}-db-user (default: --db-sslcert, else <certs-dir>/client.<user>.crt)` };
  settings[`${service}DbSslkey`] = { type: 'string', description: `Client key of --${service}-db-user (default: --db-sslkey, else <certs-dir>/client.<user>.key)` };
  settings[`${service}TableOwner`] = { type: 'string', description: `Expected owner of ${service}'s tables (the user that runs its migrations); checked when set` };
  return settings;
}

/** Every setting the tool accepts, in `--help` order. */
export const SETTINGS: Readonly<Record<string, SettingSpec>> = {
  services: { type: 'list', default: CHECK_GROUPS, description: `What to verify, comma-separated: the services (${SERVICES.join(', ')}) and backups (the CockroachDB backup schedule and its latest backup; CockroachDB only)` },
  dbHost: { type: 'string', description: 'SQL host: the CockroachDB load balancer name carried by the node certificates' },
  dbPort: { type: 'integer', default: 26257, range: [1, 65535], description: 'SQL port' },
  dbUser: { type: 'string', description: 'SQL user for every service (e.g. the read-only verifier user)' },
  certsDir: { type: 'string', description: 'CockroachDB certs dir: ca.crt, client.<user>.crt, client.<user>.key' },
  dbSslrootcert: { type: 'string', description: 'CA certificate the server certificate must chain to (default: <certs-dir>/ca.crt)' },
  dbSslcert: { type: 'string', description: 'Client certificate for --db-user' },
  dbSslkey: { type: 'string', description: 'Client key for --db-user' },
  ...serviceSettings('hydra'),
  ...serviceSettings('kratos'),
  ...serviceSettings('keto'),
  databaseRegions: { type: 'regions', description: 'Multi-region: the regions every Ory database must have, comma-separated, primary first, then secondary, then the others (as the multi-region config lists them); checks each database\'s regions, primary and secondary region and survival goal (REGION with 3 or more regions) with SHOW DATABASES (CockroachDB only)' },
  regionEndpoints: { type: 'endpoints', description: 'Multi-region: JSON file {"<region>": {"hydraPublicUrl": ..., "ketoWriteUrl": ...}, ...} of every region\'s Ory endpoints (the URL settings), in region order; each service\'s flow then runs across regions, written through one region and read through the next, instead of through --hydra-public-url etc.' },
  ketoNamespace: { type: 'string', default: 'documents', description: 'Keto namespace of the test tuple' },
  ketoVerifierId: { type: 'string', default: 'crdb-ory-verify', description: 'Names the test tuple (<id>:document#viewer@<id>:user), the same on every run so Keto reuses its two UUID mappings; give concurrent verifiers different ids' },
  kratosIdentitySchemaId: { type: 'string', default: 'default', description: 'Kratos identity schema (GET /schemas/<id>) the test identity\'s traits are built from' },
  backupScheduleLabel: { type: 'string', default: 'crdb_ory_backup', description: 'Label of the CockroachDB backup schedule (its full and incremental schedules share it; cockroach stack output backup_schedule_label)' },
  backupBucketName: { type: 'string', description: 'S3 bucket every schedule of the label must write to (cockroach stack output backup_bucket_name); not checked when unset' },
  backupWindowMinutes: { type: 'integer', range: [1, 1_054_080], description: 'Oldest the newest successful backup may be, in minutes, and the least window of each schedule (default: twice the shortest recurrence of the schedules, 120 for @hourly; each schedule within twice its own)' },
  certExpiryMinDays: { type: 'integer', default: 30, range: [0, 3650], description: 'Fail when a certificate the verifier sees (the database server chain, the CA file, its client certificate, HTTPS API endpoints) expires in fewer days' },
  timeoutMs: { type: 'integer', default: 10_000, range: [100, 600_000], description: 'Bound on every HTTP request, SQL connect and query (ms)' },
  repeat: { type: 'integer', default: 1, range: [1, 10_000], description: 'Run each flow N times and report p50/p90/p99 latency per flow and step' },
  keep: { type: 'boolean', default: false, description: 'Keep what the checks created (client, identity, tuple) instead of deleting it' },
  json: { type: 'boolean', default: false, description: 'Print the result as JSON on stdout instead of records and a table' },
};

/** `hydraPublicUrl` -> `hydra-public-url`. */
export function flagName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `hydraPublicUrl` -> `CRDB_ORY_VERIFY_HYDRA_PUBLIC_URL`. */
export function envName(key: string): string {
  return `CRDB_ORY_VERIFY_${flagName(key).replace(/-/g, '_').toUpperCase()}`;
}

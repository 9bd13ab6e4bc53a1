import { ORY_DATABASES } from '../sql-users';

// What the cluster reports about regions, read with two queries (CockroachDB v25.4 docs):
// - `SHOW REGIONS FROM CLUSTER`: the cluster regions, the `region` tiers of the nodes' `--locality`
//   (https://www.cockroachlabs.com/docs/v25.4/show-regions#response,
//   https://www.cockroachlabs.com/docs/v25.4/multiregion-overview#cluster-regions). A region counts
//   when at least one live node has it (getLiveClusterRegions / CheckLiveClusterRegion in
//   pkg/sql/region_util.go: "region %q does not exist" for any other).
// - `SHOW DATABASES`: per database its primary_region, secondary_region, regions and survival_goal
//   (https://www.cockroachlabs.com/docs/v25.4/show-databases), the same facts as `SHOW REGIONS FROM
//   DATABASE` and the survival goal, for every Ory database in one query.

/** The survival goal of a multi-region database (`SURVIVE ZONE FAILURE` is the default one). */
export type SurvivalGoal = 'zone' | 'region';

/** One database's multi-region state, as SHOW DATABASES reports it. */
export interface ObservedDatabaseRegions {
  readonly database: string;
  /** null: not a multi-region database (no primary region yet). */
  readonly primaryRegion: string | null;
  readonly secondaryRegion: string | null;
  /** The database regions, primary included; empty when not multi-region. */
  readonly regions: readonly string[];
  /** null when not multi-region. */
  readonly survivalGoal: SurvivalGoal | null;
}

/** What the decision reads: the cluster regions (with live nodes) and each Ory database's regions. */
export interface ObservedRegions {
  readonly clusterRegions: readonly string[];
  readonly databases: readonly ObservedDatabaseRegions[];
}

/** The cluster regions, one per row (column `region`). */
export const CLUSTER_REGIONS_QUERY = 'SELECT region FROM [SHOW REGIONS FROM CLUSTER] ORDER BY region';

/** The Ory databases' regions (columns database_name, primary_region, secondary_region, regions, survival_goal). */
export function databaseRegionsQuery(databases: readonly string[] = ORY_DATABASES): string {
  return `SELECT database_name, primary_region, secondary_region, regions, survival_goal FROM [SHOW DATABASES] WHERE database_name IN (${databases.map((d) => `'${d}'`).join(', ')}) ORDER BY database_name`;
}

const REGION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Splits one line of `cockroach sql --format=csv` output (RFC 4180 quoting). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

const nullable = (value: string): string | null => (value === 'NULL' || value === '' ? null : value);

function regionName(value: string, what: string): string {
  if (!REGION_NAME.test(value)) throw new Error(`unexpected region name in ${what}: "${value}"`);
  return value;
}

/** A SQL array as CockroachDB prints it (`{us-east-1,us-east-2}`, `{}`). */
function regionArray(value: string, what: string): string[] {
  const inner = /^\{(.*)\}$/.exec(value)?.[1];
  if (inner === undefined) throw new Error(`unexpected regions in ${what}: "${value}"`);
  return inner === '' ? [] : inner.split(',').map((r) => regionName(r.replace(/^"|"$/g, ''), what));
}

/** The rows of CLUSTER_REGIONS_QUERY (header first, as the CSV gives them). */
export function parseClusterRegions(csv: string): string[] {
  const [header, ...rows] = csv.trim().split('\n');
  if (header !== 'region') throw new Error(`unexpected header of SHOW REGIONS FROM CLUSTER: "${header}"`);
  return rows.filter(Boolean).map((row) => regionName(csvFields(row)[0], 'SHOW REGIONS FROM CLUSTER'));
}

/** One row of databaseRegionsQuery, its values as text (the CSV's) or as a SQL client gives them (`regions` an array, NULL as null). */
interface DatabaseRegionsFields {
  readonly database: string;
  readonly primary: string | null;
  readonly secondary: string | null;
  readonly regions: string | readonly string[];
  readonly goal: string | null;
}

/** Validates one row the same way whichever client read it. */
function observedDatabase(fields: DatabaseRegionsFields): ObservedDatabaseRegions {
  const { database } = fields;
  const what = `SHOW DATABASES (${database})`;
  const survivalGoal = fields.goal === null ? null : nullable(fields.goal);
  if (survivalGoal !== null && survivalGoal !== 'zone' && survivalGoal !== 'region') throw new Error(`unexpected survival goal in ${what}: "${fields.goal}"`);
  const primaryRegion = fields.primary === null ? null : nullable(fields.primary);
  const secondaryRegion = fields.secondary === null ? null : nullable(fields.secondary);
  return {
    database,
    primaryRegion: primaryRegion === null ? null : regionName(primaryRegion, what),
    secondaryRegion: secondaryRegion === null ? null : regionName(secondaryRegion, what),
    regions: typeof fields.regions === 'string' ? regionArray(fields.regions, what) : fields.regions.map((r) => regionName(r, what)),
    survivalGoal,
  };
}

/** The rows of databaseRegionsQuery (header first). */
export function parseDatabaseRegions(csv: string): ObservedDatabaseRegions[] {
  const [header, ...rows] = csv.trim().split('\n');
  if (header !== 'database_name,primary_region,secondary_region,regions,survival_goal') throw new Error(`unexpected header of SHOW DATABASES: "${header}"`);
  return rows.filter(Boolean).map((row) => {
    const [database, primary, secondary, regions, goal] = csvFields(row);
    return observedDatabase({ database, primary, secondary, regions, goal });
  });
}

/**
 * The rows of databaseRegionsQuery as a PostgreSQL-wire client (node-postgres) returns them:
 * NULL as null, and `regions` as an array, since crdb_internal.databases, which SHOW DATABASES
 * reads, declares it `STRING[]` (pkg/sql/crdb_internal.go, crdbInternalDatabasesTable), a text
 * array on the wire; its text form (`{a,b}`) is accepted too.
 */
export function databaseRegionsFromRows(rows: ReadonlyArray<Record<string, unknown>>): ObservedDatabaseRegions[] {
  const text = (row: Record<string, unknown>, column: string): string | null => {
    const value = row[column];
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw new Error(`unexpected ${column} in SHOW DATABASES: ${JSON.stringify(value)}`);
    return value;
  };
  return rows.map((row) => {
    const regions = row['regions'];
    if (!(typeof regions === 'string' || (Array.isArray(regions) && regions.every((r) => typeof r === 'string')))) throw new Error(`unexpected regions in SHOW DATABASES: ${JSON.stringify(regions)}`);
    return observedDatabase({ database: String(text(row, 'database_name')), primary: text(row, 'primary_region'), secondary: text(row, 'secondary_region'), regions: regions as string | string[], goal: text(row, 'survival_goal') });
  });
}

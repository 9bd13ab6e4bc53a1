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

/** The rows of databaseRegionsQuery (header first). */
export function parseDatabaseRegions(csv: string): ObservedDatabaseRegions[] {
  const [header, ...rows] = csv.trim().split('\n');
  if (header !== 'database_name,primary_region,secondary_region,regions,survival_goal') throw new Error(`unexpected header of SHOW DATABASES: "${header}"`);
  return rows.filter(Boolean).map((row) => {
    const [database, primary, secondary, regions, goal] = csvFields(row);
    const what = `SHOW DATABASES (${database})`;
    const survivalGoal = nullable(goal);
    if (survivalGoal !== null && survivalGoal !== 'zone' && survivalGoal !== 'region') throw new Error(`unexpected survival goal in ${what}: "${goal}"`);
    const primaryRegion = nullable(primary);
    const secondaryRegion = nullable(secondary);
    return {
      database,
      primaryRegion: primaryRegion === null ? null : regionName(primaryRegion, what),
      secondaryRegion: secondaryRegion === null ? null : regionName(secondaryRegion, what),
      regions: regionArray(regions, what),
      survivalGoal,
    };
  });
}

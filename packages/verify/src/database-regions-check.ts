import type pg from 'pg';
import { databaseRegionsFromRows, databaseRegionsQuery, expectedDatabaseRegions, type ObservedDatabaseRegions } from '@crdb-ory/cockroach/multi-region';
import { cockroachOnlyQuery, type CockroachOnlyCheck } from './cockroach-query';
import type { DatabaseRegionsTarget } from './config';
import { VerifyError } from './errors';
import type { FlowRun } from './flow';

// The Ory databases' multi-region state, read with the statement the cockroach package's
// convergence reads (databaseRegionsQuery: SHOW DATABASES' primary_region, secondary_region,
// regions and survival_goal, https://www.cockroachlabs.com/docs/v25.4/show-databases) and parsed
// by its parser, then held to the state that convergence leads to (expectedDatabaseRegions).
// SHOW DATABASES needs no privilege but lists only the databases the user may access
// (crdb_internal.databases, "databases accessible by the current user", pkg/sql/crdb_internal.go),
// which the verifier user may (it reads their tables). SHOW REGIONS FROM CLUSTER is not used: only
// admins may run it (https://www.cockroachlabs.com/docs/v25.4/show-regions#required-privileges),
// and a database region is a cluster region by construction (ADD REGION accepts only those).

export const DATABASE_REGIONS_STEP = 'sql: database regions and survival goal (SHOW DATABASES)';

const REGIONS_CHECK: CockroachOnlyCheck = {
  kind: 'regions',
  name: 'the regions check',
  notCockroachCause: 'the regions check runs on CockroachDB only (SHOW DATABASES with its region columns): point --db-host at the cluster, or leave out --database-regions',
  privilegeCause: (user) => `SQL user ${user} may not list the databases: as admin, GRANT CONNECT ON DATABASE <each Ory database> TO ${user}`,
};

/** One database as found, and how it differs from what is expected (empty: as expected). */
export interface DatabaseRegionsFinding {
  readonly database: string;
  readonly observed?: ObservedDatabaseRegions;
  readonly problems: readonly string[];
}

/** What the regions check found, for `--json`. */
export interface DatabaseRegionsSummary {
  /** The state every Ory database should be in. */
  readonly expected: Omit<ObservedDatabaseRegions, 'database'>;
  readonly databases: readonly DatabaseRegionsFinding[];
}

const shown = (value: string | null): string => value ?? 'none';

/** How each database differs from the expected regions, primary, secondary and survival goal (pure). */
export function databaseRegionsFindings(regions: readonly string[], databases: readonly string[], observed: readonly ObservedDatabaseRegions[]): DatabaseRegionsFinding[] {
  return databases.map((database) => {
    const found = observed.find((o) => o.database === database);
    if (!found) return { database, problems: [`${database} is not listed by SHOW DATABASES (it does not exist, or this user may not access it)`] };
    const expected = expectedDatabaseRegions({ regions }, database);
    const problems: string[] = [];
    if (found.primaryRegion !== expected.primaryRegion) problems.push(`${database}: primary region ${shown(found.primaryRegion)}, expected ${shown(expected.primaryRegion)}`);
    if (found.secondaryRegion !== expected.secondaryRegion) problems.push(`${database}: secondary region ${shown(found.secondaryRegion)}, expected ${shown(expected.secondaryRegion)}`);
    const missing = expected.regions.filter((r) => !found.regions.includes(r));
    const extra = found.regions.filter((r) => !expected.regions.includes(r));
    if (missing.length > 0) problems.push(`${database}: lacks region ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`${database}: has region ${extra.join(', ')}, not expected`);
    if (found.survivalGoal !== expected.survivalGoal) problems.push(`${database}: survival goal ${shown(found.survivalGoal)}, expected ${shown(expected.survivalGoal)}`);
    return { database, observed: found, problems };
  });
}

/** Every Ory database has exactly the expected regions, primary and secondary region, and survival goal. */
export async function runDatabaseRegionsCheck(run: FlowRun, target: DatabaseRegionsTarget, client: pg.Client, timeoutMs: number, summary: { value?: DatabaseRegionsSummary }): Promise<void> {
  const { primaryRegion, secondaryRegion, survivalGoal } = expectedDatabaseRegions({ regions: target.regions }, '');
  const expected = { regions: target.regions, primaryRegion, secondaryRegion, survivalGoal };
  await run.step(DATABASE_REGIONS_STEP, async () => {
    const rows = await cockroachOnlyQuery(client, target.db, REGIONS_CHECK, timeoutMs, databaseRegionsQuery(target.databases));
    let observed: ObservedDatabaseRegions[];
    try {
      observed = databaseRegionsFromRows(rows);
    } catch (error) {
      throw new VerifyError('regions', `SHOW DATABASES answered what CockroachDB does not: ${(error as Error).message}`, 'not CockroachDB, or a version whose SHOW DATABASES differs from v25.4');
    }
    const findings = databaseRegionsFindings(target.regions, target.databases, observed);
    summary.value = { expected, databases: findings };
    const problems = findings.flatMap((f) => f.problems);
    if (problems.length > 0) {
      throw new VerifyError('regions', `the Ory databases are not where --database-regions says (${target.regions.join(', ')}): ${problems.join('; ')}`, 'the databases have not converged to the regions: the bootstrap applies SET PRIMARY REGION, ADD REGION, SURVIVE REGION FAILURE (3 regions or more) and SET SECONDARY REGION once every region\'s nodes run (docs/cockroach.md, Multi-region); or --database-regions lists other regions, or another order, than the deployment');
    }
    return { value: undefined, record: findings.map((f) => ({ database_name: f.database, primary_region: f.observed?.primaryRegion, secondary_region: f.observed?.secondaryRegion, regions: f.observed?.regions.join(', '), survival_goal: f.observed?.survivalGoal })) };
  });
}

/**
 * The databases' regions and survival goal (--database-regions). CockroachDB cannot run here and
 * PostgreSQL has no such columns (the real server refusing the SQL is in multi-region.spec.ts):
 * the check runs over recorded rows shaped as CockroachDB v25.4 returns `SHOW DATABASES` through
 * pg: primary_region, secondary_region and survival_goal STRING (NULL when not multi-region),
 * regions STRING[] (crdb_internal.databases in pkg/sql/crdb_internal.go; the values as the
 * show-databases page and the multi_region_survival_goal logic test print them: lower-case `zone` /
 * `region`, `{}` for a database without regions).
 */
import { databaseRegionsQuery } from '@crdb-ory/cockroach/multi-region';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runDatabaseRegionsCheck, type DatabaseRegionsSummary } from '../src/database-regions-check';
import { FlowRun, type StepResult } from '../src/flow';

const EAST = 'us-east-1';
const EAST2 = 'us-east-2';
const WEST = 'us-west-2';
const THREE = [EAST, EAST2, WEST];
const ORY = ['hydra', 'kratos', 'keto'];

interface Row {
  database_name: string;
  primary_region: string | null;
  secondary_region: string | null;
  regions: string[];
  survival_goal: string | null;
}

/** A database after the bootstrap converged it to three regions. */
const converged = (database: string): Row => ({ database_name: database, primary_region: EAST, secondary_region: EAST2, regions: [EAST, EAST2, WEST], survival_goal: 'region' });
/** A database with no region (before SET PRIMARY REGION). */
const plain = (database: string): Row => ({ database_name: database, primary_region: null, secondary_region: null, regions: [], survival_goal: null });

/** A pg client that answers SHOW DATABASES with recorded rows (ordered by name, as the query asks), and records what it was asked. */
function recordedCockroach(rows: Row[], failWith?: { code: string; message: string }) {
  const asked: string[] = [];
  const client = {
    query: async (sql: string) => {
      asked.push(sql);
      if (failWith) throw Object.assign(new Error(failWith.message), { code: failWith.code });
      if (sql !== databaseRegionsQuery(ORY)) throw new Error(`unexpected statement: ${sql}`);
      return { rows: [...rows].sort((a, b) => a.database_name.localeCompare(b.database_name)) };
    },
  } as unknown as pg.Client;
  return { client, asked };
}

async function checkWith(rows: Row[], regions: string[] = THREE, failWith?: { code: string; message: string }) {
  const results: StepResult[] = [];
  const run = new FlowRun('regions', 1, (r) => results.push(r));
  const { client, asked } = recordedCockroach(rows, failWith);
  const summary: { value?: DatabaseRegionsSummary } = {};
  const target = { db: { host: 'sql.crdb-ory.internal', port: 26257, database: 'hydra', user: 'verifier', sslrootcert: '', sslcert: '', sslkey: '' }, regions, databases: ORY };
  const ok = await run.execute((r) => runDatabaseRegionsCheck(r, target, client, 1000, summary), false);
  return { ok, result: results[0], summary: summary.value, asked };
}

describe('the databases\' regions and survival goal, on recorded CockroachDB rows', () => {
  it('a converged three-region cluster passes: one SHOW DATABASES for the three databases, the rows shown', async () => {
    const { ok, result, summary, asked } = await checkWith(ORY.map(converged));
    expect(ok).toBe(true);
    expect(asked).toEqual([databaseRegionsQuery(ORY)]);
    expect(asked[0]).toBe("SELECT database_name, primary_region, secondary_region, regions, survival_goal FROM [SHOW DATABASES] WHERE database_name IN ('hydra', 'kratos', 'keto') ORDER BY database_name");
    expect(result).toMatchObject({ service: 'regions', step: 'sql: database regions and survival goal (SHOW DATABASES)', ok: true });
    expect(result?.record).toEqual(ORY.map((d) => ({ database_name: d, primary_region: EAST, secondary_region: EAST2, regions: `${EAST}, ${EAST2}, ${WEST}`, survival_goal: 'region' })));
    expect(summary?.expected).toEqual({ regions: THREE, primaryRegion: EAST, secondaryRegion: EAST2, survivalGoal: 'region' });
    expect(summary?.databases.every((d) => d.problems.length === 0)).toBe(true);
  });

  it('the regions are a set: CockroachDB\'s order of the regions array does not matter; two regions keep the ZONE goal', async () => {
    expect((await checkWith(ORY.map((d) => ({ ...converged(d), regions: [WEST, EAST, EAST2] })))).ok).toBe(true);
    const two = (d: string): Row => ({ database_name: d, primary_region: EAST, secondary_region: EAST2, regions: [EAST, EAST2], survival_goal: 'zone' });
    expect((await checkWith(ORY.map(two), [EAST, EAST2])).ok).toBe(true);
  });

  it.each([
    ['the ZONE goal with three regions (SURVIVE REGION FAILURE not applied)', { survival_goal: 'zone' }, 'kratos: survival goal zone, expected region'],
    ['no secondary region', { secondary_region: null }, 'kratos: secondary region none, expected us-east-2'],
    ['a region missing (its nodes joined, ADD REGION not run)', { regions: [EAST, EAST2] }, 'kratos: lacks region us-west-2'],
    ['a region not expected (removed from the config, still in the database)', { regions: [...THREE, 'eu-west-1'] }, 'kratos: has region eu-west-1, not expected'],
    ['another primary region', { primary_region: WEST, secondary_region: EAST2 }, 'kratos: primary region us-west-2, expected us-east-1'],
  ])('fails on %s, naming the database and the difference', async (_what, change, problem) => {
    const { ok, result, summary } = await checkWith(ORY.map((d) => (d === 'kratos' ? { ...converged(d), ...change } : converged(d))));
    expect(ok).toBe(false);
    expect(result?.error).toMatchObject({ kind: 'regions', message: `the Ory databases are not where --database-regions says (${THREE.join(', ')}): ${problem}` });
    expect(result?.error?.likelyCause).toContain('SURVIVE REGION FAILURE');
    expect(summary?.databases.find((d) => d.database === 'kratos')?.problems).toEqual([problem]);
    expect(summary?.databases.filter((d) => d.problems.length > 0).map((d) => d.database)).toEqual(['kratos']);
  });

  it('fails on a database that is not multi-region, one not listed (missing or not accessible), and on --database-regions in another order', async () => {
    const { result } = await checkWith([converged('hydra'), plain('keto')]);
    expect(result?.error?.message).toBe(
      `the Ory databases are not where --database-regions says (${THREE.join(', ')}): kratos is not listed by SHOW DATABASES (it does not exist, or this user may not access it); keto: primary region none, expected us-east-1; keto: secondary region none, expected us-east-2; keto: lacks region us-east-1, us-east-2, us-west-2; keto: survival goal none, expected region`,
    );
    const swapped = await checkWith(ORY.map(converged), [EAST2, EAST, WEST]);
    expect(swapped.result?.error?.message).toContain('hydra: primary region us-east-1, expected us-east-2; hydra: secondary region us-east-2, expected us-east-1');
  });

  it('CockroachDB\'s refusal names the grant; rows CockroachDB would not return are not taken for an answer', async () => {
    const refused = await checkWith([], THREE, { code: '42501', message: 'user verifier does not have CONNECT privilege on database hydra' });
    expect(refused.result?.error).toMatchObject({ kind: 'privileges', likelyCause: 'SQL user verifier may not list the databases: as admin, GRANT CONNECT ON DATABASE <each Ory database> TO verifier' });
    const odd = await checkWith(ORY.map((d) => ({ ...converged(d), survival_goal: 'REGION' })));
    expect(odd.result?.error).toMatchObject({ kind: 'regions', message: 'SHOW DATABASES answered what CockroachDB does not: unexpected survival goal in SHOW DATABASES (hydra): "REGION"' });
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConvergeRegionsSettings, OperationStopped, RegionSql, convergeRegions, main } from '../src/ops';
import { writeDatabaseRegionsRecord } from '../src/multi-region';
import { threeRegionWorld } from './roll-world';
import { StubDatabaseRegions, regionCluster, sql } from './stub-probes/support';
import { StubSandbox } from './stub-sandbox';

// `crdb-ory-cockroach regions`: observe, decide (decideRegionConvergence), apply ONE statement,
// observe again. The in-process specs run the command's loop against the cockroach stub (whose
// multi-region rules cite CockroachDB's docs: test/stubs/cockroach.behaviours.md), one stub
// process per statement; the last spec runs the shipped command end to end (bin launcher, SSM,
// terraform and cockroach stubs). These are also the SQL part of docs/operations.md's
// "Add a region" and "Remove a region".

const EAST = 'us-east-1';
const EAST2 = 'us-east-2';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
const THREE = [EAST, EAST2, WEST];
const ORY = ['hydra', 'keto', 'kratos'];
const TWO_REGIONS: StubDatabaseRegions = { primaryRegion: EAST, secondaryRegion: EAST2, regions: [EAST, EAST2], survivalGoal: 'zone' };
const CONVERGED: StubDatabaseRegions = { primaryRegion: EAST, secondaryRegion: EAST2, regions: THREE, survivalGoal: 'region' };
const everyOry = (r: StubDatabaseRegions | null) => Object.fromEntries(ORY.map((d) => [d, r]));

/** Root's SQL on node 1 of the stub cluster, each statement its own `cockroach sql` run; counts the calls. */
class StubSql implements RegionSql {
  calls = 0;
  constructor(private readonly s: StubSandbox) {}
  async run(statements: readonly string[]) {
    this.calls++;
    const results: string[] = [];
    for (const statement of statements) {
      const run = sql(this.s, [statement]);
      if (run.status !== 0 || run.stderr !== '') return { ok: false, results, error: run.stderr };
      results.push(run.stdout);
    }
    return { ok: true, results, error: '' };
  }
}

/** Each database's regions as the stub holds them (regions sorted). */
function stateOf(s: StubSandbox): Record<string, StubDatabaseRegions> {
  const dbs = s.readJson('cluster.json').dbs as Record<string, { regions: StubDatabaseRegions }>;
  return Object.fromEntries(Object.entries(dbs).map(([d, v]) => [d, { ...v.regions, regions: [...v.regions.regions].sort() }]));
}

async function run(s: StubSandbox, settings: ConvergeRegionsSettings, sqlRunner: RegionSql = new StubSql(s)) {
  const lines: string[] = [];
  try {
    const result = await convergeRegions({ sql: sqlRunner, log: (line) => lines.push(line) }, settings);
    return { result, lines, error: undefined };
  } catch (error) {
    return { result: undefined, lines, error: error as Error };
  }
}

const hydra = (statements: readonly string[]) => statements.filter((st) => st.startsWith('ALTER DATABASE hydra '));

describe('regions: converging the Ory databases one statement at a time, in process against the cockroach stub', () => {
  it('adds a region to a running two-region deployment: the dry run prints the statements and changes nothing; --yes applies them one by one, observing after each', async () => {
    const s = new StubSandbox();
    regionCluster(s, THREE, everyOry(TWO_REGIONS));
    const before = stateOf(s);

    const dry = await run(s, { desired: { regions: THREE }, dryRun: true });
    expect(dry.error).toBeUndefined();
    expect(hydra(dry.result?.statements ?? [])).toEqual([`ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"`, 'ALTER DATABASE hydra SURVIVE REGION FAILURE']);
    expect(dry.lines).toContain(`  hydra: primary ${EAST}, secondary ${EAST2}, regions ${EAST}, ${EAST2}, survival goal zone`);
    expect(stateOf(s)).toEqual(before);

    const sqlRunner = new StubSql(s);
    const applied = await run(s, { desired: { regions: THREE }, dryRun: false }, sqlRunner);
    expect(applied.error).toBeUndefined();
    expect(applied.result?.statements).toEqual(dry.result?.statements);
    // One observation before, then one statement and one observation per statement.
    expect(sqlRunner.calls).toBe(1 + 2 * 6);
    expect(applied.lines.filter((l) => l.startsWith('Applying '))).toHaveLength(6);
    expect(applied.lines.at(-1)).toBe(`Done: 6 statement(s) applied; hydra, kratos, keto have the regions ${THREE.join(', ')} (primary ${EAST}).`);
    for (const d of ORY) expect(stateOf(s)[d]).toEqual({ ...CONVERGED, regions: [...THREE].sort() });

    const again = await run(s, { desired: { regions: THREE }, dryRun: false });
    expect(again.result?.statements).toEqual([]);
    expect(again.lines.at(-1)).toMatch(/^Done: hydra, kratos, keto already have the regions/);
  });

  it('removes a region whose nodes are decommissioned: the ZONE goal first (DROP REGION is refused with the REGION goal and three regions), then DROP REGION', async () => {
    const s = new StubSandbox();
    regionCluster(s, [EAST, EAST2], everyOry(CONVERGED), [WEST]);
    const applied = await run(s, { desired: { regions: [EAST, EAST2] }, dryRun: false });
    expect(applied.error).toBeUndefined();
    expect(hydra(applied.result?.statements ?? [])).toEqual(['ALTER DATABASE hydra SURVIVE ZONE FAILURE', `ALTER DATABASE hydra DROP REGION IF EXISTS "${WEST}"`]);
    for (const d of ORY) expect(stateOf(s)[d]).toEqual(TWO_REGIONS);
  });

  it('replaces a region under the REGION goal by deciding again after each statement (the new region is added before the old one is dropped)', async () => {
    const s = new StubSandbox();
    regionCluster(s, [...THREE, EU], everyOry(CONVERGED));
    const applied = await run(s, { desired: { regions: [EAST, EAST2, EU] }, dryRun: false });
    expect(applied.error).toBeUndefined();
    expect(hydra(applied.result?.statements ?? [])).toEqual([`ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${EU}"`, `ALTER DATABASE hydra DROP REGION IF EXISTS "${WEST}"`]);
    expect(stateOf(s).kratos).toEqual({ ...CONVERGED, regions: [EAST, EAST2, EU].sort() });
  });

  it('refuses a region that has no live node yet, before any statement', async () => {
    const s = new StubSandbox();
    regionCluster(s, [EAST, EAST2], everyOry(TWO_REGIONS), [WEST]);
    const before = stateOf(s);
    const refused = await run(s, { desired: { regions: THREE }, dryRun: false });
    expect(refused.error).toBeInstanceOf(OperationStopped);
    expect(refused.error?.message).toMatch(new RegExp(`^stopped: No live node has the region ${WEST} .* Nothing was applied\\.$`));
    expect(stateOf(s)).toEqual(before);
  });

  it('stops cleanly, naming what it applied, when the next decision refuses (a region lost its nodes half-way)', async () => {
    const s = new StubSandbox();
    regionCluster(s, THREE, everyOry(TWO_REGIONS));
    const stub = new StubSql(s);
    // After the first statement, us-west-2's nodes stop being live (the stub's cluster regions are the live nodes' regions).
    const losing: RegionSql = {
      run: async (statements) => {
        const result = await stub.run(statements);
        if (statements[0]?.startsWith('ALTER ')) {
          const cluster = s.readJson('cluster.json');
          for (const node of Object.values(cluster.nodes) as Array<Record<string, unknown>>) if (String(node.locality).includes(`region=${WEST}`)) Object.assign(node, { live: false, status: 'crashed' });
          s.writeJson('cluster.json', cluster);
        }
        return result;
      },
    };
    const stopped = await run(s, { desired: { regions: THREE }, dryRun: false }, losing);
    expect(stopped.error?.message).toMatch(new RegExp(`^stopped: No live node has the region ${WEST} .* Applied before stopping: ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"\\.$`));
    expect(stateOf(s).hydra.regions).toEqual([EAST, EAST2, WEST]);
    expect(stateOf(s).kratos).toEqual(TWO_REGIONS);
  });

  it('stops when a statement CockroachDB accepts changes nothing it reports (it would never end), and when one fails', async () => {
    const s = new StubSandbox();
    regionCluster(s, THREE, everyOry(TWO_REGIONS));
    const stub = new StubSql(s);
    const ignoring: RegionSql = { run: async (statements) => (statements[0]?.startsWith('ALTER ') ? { ok: true, results: [''], error: '' } : stub.run(statements)) };
    const stuck = await run(s, { desired: { regions: THREE }, dryRun: false }, ignoring);
    expect(stuck.error?.message).toBe(`stopped: \`ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"\` succeeded but the cluster reports no change. Applied before stopping: ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}".`);
    const failing: RegionSql = { run: async (statements) => (statements[0]?.startsWith('ALTER ') ? { ok: false, results: [], error: 'Failed: ERROR: connection refused\n' } : stub.run(statements)) };
    const failed = await run(s, { desired: { regions: THREE }, dryRun: false }, failing);
    expect(failed.error?.message).toBe(`stopped: \`ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"\` failed: Failed: ERROR: connection refused. Nothing was applied.`);
  });

  it('needs --regions, valid region names, and --dry-run or --yes (usage errors, exit 2)', async () => {
    const err: string[] = [];
    const out = () => undefined;
    expect(await main(['regions', '--yes'], out, (t) => err.push(t))).toBe(2);
    expect(await main(['regions', '--dry-run', '--regions', 'us-east-1,us-east-1'], out, (t) => err.push(t))).toBe(2);
    expect(await main(['regions', '--regions', 'us-east-1'], out, (t) => err.push(t))).toBe(2);
    expect(err.map((e) => e.split('\n')[0])).toEqual([
      'crdb-ory-cockroach: --regions is required: the regions the Ory databases should have, the primary first, e.g. --regions us-east-1,us-east-2,us-west-2',
      'crdb-ory-cockroach: --regions "us-east-1,us-east-1": regions are listed twice: us-east-1',
      'crdb-ory-cockroach: the command alters the Ory databases: run it with --dry-run to see the statements, then with --yes',
    ]);
  });
});

describe('regions: the shipped command end to end (bin launcher, SSM onto the primary region\'s nodes, stubs)', () => {
  it('adds us-west-2 to the databases of a running deployment (dry run, then --yes), removes it again, and refuses a region with no node', () => {
    const world = threeRegionWorld([EAST, EAST2, WEST], TWO_REGIONS);
    const dbRegions = () => Object.fromEntries(Object.entries(world.cluster().dbs as Record<string, { regions: StubDatabaseRegions }>).map(([d, v]) => [d, v.regions]));

    const dry = world.command('regions', '--dry-run', '--regions', THREE.join(','));
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`Cluster regions (live nodes): ${THREE.join(', ')}\n`);
    expect(dry.stdout).toContain(`  1. ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"\n  2. ALTER DATABASE hydra SURVIVE REGION FAILURE\n`);
    expect(dbRegions()).toEqual(everyOry(TWO_REGIONS));

    const applied = world.command('regions', '--yes', '--regions', THREE.join(','));
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('Done: 6 statement(s) applied');
    for (const [d, r] of Object.entries(dbRegions())) expect({ ...r, regions: [...r.regions].sort() }, d).toEqual({ ...CONVERGED, regions: [...THREE].sort() });

    // Removing us-west-2 again, as the runbook orders it: DROP REGION while its nodes still run (they are decommissioned after).
    const removed = world.command('regions', '--yes', '--regions', [EAST, EAST2].join(','));
    expect(removed.stderr).toBe('');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`Applying ALTER DATABASE hydra SURVIVE ZONE FAILURE\nApplying ALTER DATABASE hydra DROP REGION IF EXISTS "${WEST}"\n`);
    expect(dbRegions()).toEqual(everyOry(TWO_REGIONS));

    const refused = world.command('regions', '--yes', '--regions', [EAST, EAST2, EU].join(','));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^crdb-ory-cockroach regions: stopped: No live node has the region ${EU} `));
  }, 240_000);

  it('takes the regions from the configuration (the record the multi-region app\'s synthesis writes) without --regions, and refuses a --regions that disagrees with it', () => {
    const world = threeRegionWorld([EAST, EAST2, WEST], TWO_REGIONS);
    writeDatabaseRegionsRecord(join(world.dir, 'cdktf.out'), THREE);
    const dry = world.command('regions', '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`Desired regions (from the configuration, cdktf.out/database-regions.json): ${THREE.join(', ')}\n`);
    expect(dry.stdout).toContain(`  1. ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"\n  2. ALTER DATABASE hydra SURVIVE REGION FAILURE\n`);

    const disagreeing = world.command('regions', '--yes', '--regions', [EAST, EAST2].join(','));
    expect(disagreeing.status).toBe(2);
    expect(disagreeing.stderr.split('\n')[0]).toBe(`crdb-ory-cockroach: --regions "${EAST},${EAST2}" disagrees with the configuration, whose regions are ${THREE.join(',')} (cdktf.out/database-regions.json, the primary first): change the configuration and synthesize again (npm run synth:multi-region), or run without --regions (while removing a region, before its stacks are destroyed: add --ahead-of-configuration)`);
    expect(Object.values(world.cluster().dbs).map((d: any) => d.regions)).toEqual([TWO_REGIONS, TWO_REGIONS, TWO_REGIONS]);

    // Removing a region: the configuration still lists it until its stacks are destroyed.
    const ahead = world.command('regions', '--dry-run', '--regions', [EAST].join(','), '--ahead-of-configuration');
    expect(ahead.stderr).toBe('');
    expect(ahead.status).toBe(0);
    expect(ahead.stdout).toContain(`Desired regions (--regions, ahead of the configuration's ${THREE.join(', ')}): ${EAST}\n`);
    expect(ahead.stdout).toContain(`ALTER DATABASE hydra DROP REGION IF EXISTS "${EAST2}"`);
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { CockroachCliResult, DecommissionCluster, DecommissionRegionSettings, OperationStopped, decideDecommission, decommissionRegion, main, parseNodeDecommissionStatus } from '../src/ops';
import { StubDatabaseRegions, regionCluster, rootCerts, sql } from './stub-probes/support';
import { StubSandbox } from './stub-sandbox';
import { threeRegionWorld } from './roll-world';

// `crdb-ory-cockroach decommission-region`: the last CockroachDB step of docs/operations.md's
// "Remove a region". Observe (`cockroach node status --decommission`, SHOW DATABASES, the stores'
// ranges), decide (decideDecommission), apply one step, observe again. The in-process specs run the
// loop against the cockroach stub (its decommission rows cite CockroachDB's v26.2 node-shutdown and
// cockroach-node pages: test/stubs/cockroach.behaviours.md) inside this process; the last spec runs
// the shipped command end to end (bin launcher, SSM onto a staying region's node, stubs).

const EAST = 'us-east-1';
const EAST2 = 'us-east-2';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
const ORY = ['hydra', 'keto', 'kratos'];
const TWO_REGIONS: StubDatabaseRegions = { primaryRegion: EAST, secondaryRegion: EAST2, regions: [EAST, EAST2], survivalGoal: 'zone' };
const THREE_REGIONS: StubDatabaseRegions = { primaryRegion: EAST, secondaryRegion: EAST2, regions: [EAST, EAST2, WEST], survivalGoal: 'region' };
const everyOry = (r: StubDatabaseRegions | null) => Object.fromEntries(ORY.map((d) => [d, r]));

/** The cluster as root on node 1 (us-east-1): the cockroach stub in this process. */
class StubCluster implements DecommissionCluster {
  readonly steps: string[] = [];
  constructor(private readonly s: StubSandbox) {}
  private cli(args: string[]): CockroachCliResult {
    const run = this.s.run('cockroach', [...args, `--certs-dir=${rootCerts(this.s)}`, '--host=localhost:26257'], { env: { STUB_NODE: '1' } });
    return { ok: run.status === 0, stdout: run.stdout, error: run.status === 0 ? '' : run.stderr };
  }
  async nodeStatus() {
    return this.cli(['node', 'status', '--decommission', '--format=csv']);
  }
  async decommission(step: 'check' | 'start' | 'finish', nodeIds: readonly number[]) {
    this.steps.push(`${step} ${nodeIds.join(' ')}`);
    return this.cli(['node', 'decommission', ...nodeIds.map(String), step === 'check' ? '--dry-run' : `--wait=${step === 'start' ? 'none' : 'all'}`]);
  }
  async run(statements: readonly string[]) {
    const results: string[] = [];
    for (const statement of statements) {
      const run = sql(this.s, [statement]);
      if (run.status !== 0) return { ok: false, results, error: run.stderr };
      results.push(run.stdout);
    }
    return { ok: true, results, error: '' };
  }
}

/** A cluster with three nodes per region (node ids 1-3 the first region, 4-6 the second...), `extra` merged into the stub's state. */
function world(regions: readonly string[], dbs: StubDatabaseRegions | null, extra: Record<string, unknown> = {}, downRegions: readonly string[] = []): StubSandbox {
  const s = new StubSandbox({ inProcess: true });
  regionCluster(s, regions, everyOry(dbs), downRegions);
  s.writeJson('cluster.json', { ...s.readJson('cluster.json'), ...extra });
  return s;
}

async function run(s: StubSandbox, settings: Partial<DecommissionRegionSettings> = {}, cluster = new StubCluster(s)) {
  const lines: string[] = [];
  let clock = 0;
  const sleeps: number[] = [];
  try {
    const result = await decommissionRegion(
      { cluster, log: (line) => lines.push(line), sleep: async (seconds) => { sleeps.push(seconds); clock += seconds * 1000; }, now: () => clock },
      { region: WEST, dryRun: false, pollSeconds: 15, replicasTimeoutSeconds: 600, ...settings },
    );
    return { result, lines, sleeps, cluster, error: undefined };
  } catch (error) {
    return { result: undefined, lines, sleeps, cluster, error: error as Error };
  }
}

/** Each node's membership and replicas as the stub holds them. */
const membership = (s: StubSandbox) => Object.fromEntries(Object.entries(s.readJson('cluster.json').nodes as Record<string, Record<string, unknown>>).map(([id, n]) => [id, n.membership ?? 'active']));
const WEST_NODES = ['7', '8', '9'];

describe('decommission-region: the region\'s nodes, all at once, in process against the cockroach stub', () => {
  it('needs --remove-region, a region name, and --dry-run or --yes (usage errors, exit 2)', async () => {
    const runs = [['--yes'], ['--dry-run', '--remove-region', 'US West'], ['--remove-region', WEST]];
    const err: string[] = [];
    const codes = [];
    for (const args of runs) codes.push(await main(['decommission-region', ...args], () => undefined, (t) => err.push(t)));
    expect(codes).toEqual([2, 2, 2]);
    expect(err.map((e) => e.split('\n')[0])).toEqual([
      'crdb-ory-cockroach: --remove-region is required: the region whose nodes are decommissioned, e.g. --remove-region us-west-2',
      'crdb-ory-cockroach: --remove-region "US West": "US West" is not a region name (lower-case letters, digits and "-")',
      "crdb-ory-cockroach: the command decommissions a region's nodes (permanently): run it with --dry-run to see the nodes and steps, then with --yes",
    ]);
  });

  it('the dry run prints the nodes, passes CockroachDB\'s pre-flight checks and the plan, changing nothing; --yes starts, waits until the replicas moved, finishes; again: done', async () => {
    const s = world([EAST, EAST2, WEST], TWO_REGIONS, { replicasMovedPerPoll: 8 });
    const before = s.readJson('cluster.json').nodes;

    const dry = await run(s, { dryRun: true });
    expect(dry.error).toBeUndefined();
    expect(dry.cluster.steps).toEqual(['check 7 8 9']);
    expect(dry.lines).toContain(`  node 7 (region=${WEST},zone=${WEST}a): live, active, 20 replica(s)`);
    expect(dry.lines.slice(-4)).toEqual([
      'Dry run: nothing was changed. With --yes the command would:',
      '  1. cockroach node decommission 7 8 9 --wait=none (every node of the region at once; their replicas move to the other regions)',
      '  2. wait until node(s) 7, 8, 9 hold 0 replicas (cockroach node status --decommission)',
      '  3. cockroach node decommission 7 8 9 --wait=all (their membership becomes decommissioned)',
    ]);
    expect(s.readJson('cluster.json').nodes).toEqual(before);

    const applied = await run(s);
    expect(applied.error).toBeUndefined();
    expect(applied.result?.applied).toEqual(['cockroach node decommission 7 8 9 --wait=none', 'cockroach node decommission 7 8 9 --wait=all']);
    expect(applied.cluster.steps).toEqual(['start 7 8 9', 'finish 7 8 9']);
    // 20 replicas per node, 8 moved per observation: 12, 4, 0 after the start; two waits between.
    expect(applied.lines.filter((l) => l.startsWith('Waiting: '))).toEqual(['Waiting: 36 replica(s) left on node(s) 7, 8, 9.', 'Waiting: 12 replica(s) left on node(s) 7, 8, 9.']);
    expect(applied.sleeps).toEqual([15, 15]);
    expect(applied.lines.at(-1)).toBe(`Done: the nodes of ${WEST} (7, 8, 9) are decommissioned; their instances may now be destroyed (docs/operations.md, "Remove a region").`);
    expect(membership(s)).toEqual({ ...Object.fromEntries(['1', '2', '3', '4', '5', '6'].map((id) => [id, 'active'])), ...Object.fromEntries(WEST_NODES.map((id) => [id, 'decommissioned'])) });
    // The region is no longer a cluster region (no live node has it).
    expect(sql(s, ['SELECT region FROM [SHOW REGIONS FROM CLUSTER] ORDER BY region']).stdout).toBe(`region\n${EAST}\n${EAST2}\n`);

    const again = await run(s);
    expect(again.error).toBeUndefined();
    expect(again.result?.applied).toEqual([]);
    expect(again.cluster.steps).toEqual([]);
  });

  it('refuses while an Ory database still has the region (regions drops it first), changing nothing', async () => {
    const s = world([EAST, EAST2, WEST], THREE_REGIONS);
    const refused = await run(s);
    expect(refused.error).toBeInstanceOf(OperationStopped);
    expect(refused.error?.message).toBe(`stopped: hydra, keto, kratos still have the region ${WEST}: run \`regions\` without it first (it drops the region from the databases). Nothing was applied.`);
    expect(refused.cluster.steps).toEqual([]);
    expect(Object.values(membership(s))).toEqual(Array(9).fill('active'));
  });

  it('refuses when a database with the REGION survival goal would keep fewer than three regions with live nodes', async () => {
    const s = world([EAST, EAST2, WEST], { primaryRegion: EAST, secondaryRegion: EAST2, regions: [EAST, EAST2, EU], survivalGoal: 'region' }, {}, [EU]);
    const refused = await run(s);
    expect(refused.error?.message).toBe(`stopped: hydra has the REGION survival goal, which needs 3 regions with live nodes, and only 2 would stay (${EAST}, ${EAST2}): run \`regions\` first (it sets SURVIVE ZONE FAILURE below three regions). Nothing was applied.`);
    expect(refused.cluster.steps).toEqual([]);
  });

  it('refuses when fewer than three live nodes would stay, when ranges are under-replicated, when a node of the region is down, and a region no node has', async () => {
    const small = world([EAST, WEST], { primaryRegion: EAST, secondaryRegion: null, regions: [EAST], survivalGoal: 'zone' });
    const state = small.readJson('cluster.json');
    Object.assign(state.nodes['3'], { live: false, status: 'crashed' });
    small.writeJson('cluster.json', state);
    expect((await run(small)).error?.message).toBe(`stopped: Only 2 live node(s) would stay outside ${WEST}: CockroachDB keeps at least 3 replicas of every range, so the decommission would hang. Nothing was applied.`);

    const unhealthy = world([EAST, EAST2, WEST], TWO_REGIONS, { underReplicated: 4, neverRereplicates: true });
    expect((await run(unhealthy)).error?.message).toBe('stopped: The cluster has 4 under-replicated and 0 unavailable range(s): decommission only a healthy cluster (wait until both are 0). Nothing was applied.');

    const down = world([EAST, EAST2], TWO_REGIONS, {}, [WEST]);
    expect((await run(down)).error?.message).toMatch(/^stopped: Node\(s\) 7, 8, 9 of us-west-2 are not live: this command decommissions running nodes /);

    const typo = await run(world([EAST, EAST2, WEST], TWO_REGIONS), { region: 'us-west-3' });
    expect(typo.error?.message).toMatch(/^stopped: No node has the locality region=us-west-3 \(cockroach node status --decommission lists 1: region=us-east-1,zone=us-east-1a; /);
  });

  it('stops after --replicas-timeout when the replicas do not move, naming what it applied (the nodes stay decommissioning)', async () => {
    const s = world([EAST, EAST2, WEST], TWO_REGIONS, { decommissionStalls: true });
    const stopped = await run(s, { replicasTimeoutSeconds: 40 });
    expect(stopped.error?.message).toBe('stopped: after 40 s node(s) 7, 8, 9 still hold 60 replica(s); they stay decommissioning and their replicas keep moving: run the command again to wait on, or cancel with `cockroach node recommission 7 8 9`. Applied before stopping: cockroach node decommission 7 8 9 --wait=none.');
    expect(stopped.sleeps).toEqual([15, 15, 15]);
    expect(WEST_NODES.map((id) => membership(s)[id])).toEqual(['decommissioning', 'decommissioning', 'decommissioning']);
  });

  it('decides from what node status reports: finish once no replica is left, and nothing partial', () => {
    const rows = (lines: string[]) => parseNodeDecommissionStatus(['id,locality,is_live,gossiped_replicas,is_decommissioning,membership,is_draining', ...lines].join('\n'));
    const observed = (nodes: string[]) => ({ nodes: rows(nodes), databases: [], underReplicatedRanges: 0, unavailableRanges: 0 });
    const east = ['1', '2', '3'].map((id) => `${id},"region=${EAST},zone=${EAST}a",true,30,false,active,false`);
    expect(decideDecommission(WEST, observed([...east, `7,"region=${WEST},zone=${WEST}a",true,0,true,decommissioning,true`, `8,"region=${WEST},zone=${WEST}b",true,0,true,decommissioning,true`]))).toEqual({ kind: 'finish', nodeIds: [7, 8] });
    expect(decideDecommission(WEST, observed([...east, `7,"region=${WEST},zone=${WEST}a",true,0,true,decommissioning,true`, `8,"region=${WEST},zone=${WEST}b",true,0,false,active,false`]))).toEqual({ kind: 'start', nodeIds: [7, 8] });
    expect(decideDecommission(WEST, observed([...east, `7,"region=${WEST},zone=${WEST}a",false,0,true,decommissioned,true`]))).toEqual({ kind: 'done', nodeIds: [7] });
    expect(() => rows(['7,x,true,0,true,retired,true'])).toThrow(/unexpected row/);
    expect(() => parseNodeDecommissionStatus('id,address\n1,a')).toThrow(/no locality, is_live, gossiped_replicas, membership, is_draining column/);
  });

});

describe('decommission-region: the shipped command end to end (bin launcher, SSM onto the primary region\'s nodes, stubs)', () => {
  it('refuses the stack of the region being removed, then decommissions us-west-2 (dry run, then --yes) once the databases dropped it', () => {
    const world = threeRegionWorld([EAST, EAST2, WEST], { ...TWO_REGIONS });
    const own = world.command('decommission-region', '--dry-run', '--remove-region', EAST);
    expect(own.status).toBe(2);
    expect(own.stderr).toMatch(/--remove-region "us-east-1" is the region of --stack-dir .*: the commands run on that stack's nodes, so name the cockroach stack of a region that stays/);

    const dry = world.command('decommission-region', '--dry-run', '--remove-region', WEST);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`CockroachDB's pre-flight checks pass (cockroach node decommission 7 8 9 --dry-run).\n`);
    expect(dry.stdout).toContain('  1. cockroach node decommission 7 8 9 --wait=none');
    expect(Object.values(world.cluster().nodes).map((n: any) => n.membership ?? 'active')).toEqual(Array(9).fill('active'));

    const applied = world.command('decommission-region', '--yes', '--remove-region', WEST);
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain('Applying cockroach node decommission 7 8 9 --wait=none\n');
    expect(applied.stdout).toContain('Applying cockroach node decommission 7 8 9 --wait=all\n');
    expect(applied.stdout).toContain(`Done: the nodes of ${WEST} (7, 8, 9) are decommissioned`);
    expect(Object.values(world.cluster().nodes).map((n: any) => n.membership ?? 'active')).toEqual([...Array(6).fill('active'), ...Array(3).fill('decommissioned')]);
  }, 240_000);
});

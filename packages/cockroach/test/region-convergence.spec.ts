import { describe, expect, it } from 'vitest';
import { CLUSTER_REGIONS_QUERY, DesiredRegions, ObservedRegions, databaseRegionsFromRows, databaseRegionsQuery, decideRegionConvergence, expectedDatabaseRegions, parseClusterRegions, parseDatabaseRegions } from '../src';
import { StubDatabaseRegions, csv, regionCluster, sql } from './stub-probes/support';
import { StubSandbox } from './stub-sandbox';

// The multi-region convergence driven against the cockroach stub, whose multi-region rules come
// from CockroachDB's docs (test/stubs/cockroach.behaviours.md, sql.alter-database-* rows), not from
// the decision: observe (the two queries), decide, apply, repeat until nothing is left. Expected
// end states are written out here by hand. The stub runs in this process (StubSandbox inProcess):
// the same stub code and state files, without a node start-up per statement.

const EAST = 'us-east-1';
const EAST2 = 'us-east-2';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
const ORY = ['hydra', 'keto', 'kratos'];
const THREE = [EAST, EAST2, WEST];

const multiRegion = (primaryRegion: string, regions: string[], extra: Partial<StubDatabaseRegions> = {}): StubDatabaseRegions => ({ primaryRegion, secondaryRegion: null, regions, survivalGoal: 'zone', ...extra });
const CONVERGED: StubDatabaseRegions = multiRegion(EAST, THREE, { secondaryRegion: EAST2, survivalGoal: 'region' });
const everyOry = (r: StubDatabaseRegions | null) => Object.fromEntries(ORY.map((d) => [d, r]));

function observe(s: StubSandbox, databases?: readonly string[]): ObservedRegions {
  const cluster = sql(s, [CLUSTER_REGIONS_QUERY]);
  const dbs = sql(s, [databaseRegionsQuery(databases)]);
  expect(cluster.stderr + dbs.stderr).toBe('');
  return { clusterRegions: parseClusterRegions(cluster.stdout), databases: parseDatabaseRegions(dbs.stdout) };
}

/** Each database's regions as the stub holds them, regions sorted. */
function stateOf(s: StubSandbox): Record<string, StubDatabaseRegions> {
  const dbs = s.readJson('cluster.json').dbs as Record<string, { regions?: StubDatabaseRegions }>;
  const none: StubDatabaseRegions = { primaryRegion: null, secondaryRegion: null, regions: [], survivalGoal: null };
  return Object.fromEntries(Object.entries(dbs).map(([d, v]) => [d, { ...(v.regions ?? none), regions: [...(v.regions ?? none).regions].sort() }]));
}

const apply = (s: StubSandbox, statements: readonly string[]) => sql(s, statements);

/** Observe, decide, apply until the decision is empty; returns each round's statements. */
function converge(s: StubSandbox, desired: DesiredRegions): string[][] {
  const rounds: string[][] = [];
  for (let round = 0; round < 5; round++) {
    const decision = decideRegionConvergence(desired, observe(s, desired.databases));
    if (decision.kind === 'refused') throw new Error(decision.reason);
    if (decision.statements.length === 0) return rounds;
    const run = apply(s, decision.statements);
    expect(run.stderr, `round ${round + 1}: ${decision.statements.join('; ')}`).toBe('');
    rounds.push([...decision.statements]);
  }
  throw new Error('did not converge in 5 rounds');
}

/** Converges, then applies the first round's statements again: CockroachDB accepts them and nothing changes. */
function convergeAndReapply(s: StubSandbox, desired: DesiredRegions): string[][] {
  const rounds = converge(s, desired);
  const converged = stateOf(s);
  for (const statements of rounds) expect(apply(s, statements).stderr).toBe('');
  expect(stateOf(s)).toEqual(converged);
  return rounds;
}

const hydraOf = (rounds: string[][]) => rounds.flat().filter((st) => st.startsWith('ALTER DATABASE hydra '));

describe('multi-region convergence of the Ory databases, against the cockroach stub', () => {
  it('rolls a fresh single-region deployment out region by region: the primary region first, while only its nodes run', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, [EAST], everyOry(null), [EAST2, WEST]);
    const desired = { regions: THREE };
    // The other regions have no live node yet: refused, nothing applied.
    const early = decideRegionConvergence(desired, observe(s));
    expect(early).toEqual({ kind: 'refused', reason: expect.stringContaining(`${EAST2}, ${WEST}`) });
    // The primary region alone: SET PRIMARY REGION while the cluster has one region (no rebalancing).
    expect(convergeAndReapply(s, { regions: [EAST] })).toEqual([['hydra', 'kratos', 'keto'].map((d) => `ALTER DATABASE ${d} SET PRIMARY REGION "${EAST}"`)]);
    expect(stateOf(s).hydra).toEqual(multiRegion(EAST, [EAST]));
    // The other regions' nodes join; the rest converges in one round.
    regionCluster(s, THREE, everyOry(multiRegion(EAST, [EAST])));
    const rounds = convergeAndReapply(s, desired);
    expect(rounds).toHaveLength(1);
    expect(hydraOf(rounds)).toEqual([
      `ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${EAST2}"`,
      `ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"`,
      'ALTER DATABASE hydra SURVIVE REGION FAILURE',
      `ALTER DATABASE hydra SET SECONDARY REGION "${EAST2}"`,
    ]);
    for (const d of ORY) expect(stateOf(s)[d]).toEqual({ ...CONVERGED, regions: [...THREE].sort() });
  });

  it('converges a fresh cluster that already has every region: primary, additions, REGION survival, secondary, in that order', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, THREE, everyOry(null));
    const rounds = convergeAndReapply(s, { regions: THREE });
    expect(hydraOf(rounds)).toEqual([
      `ALTER DATABASE hydra SET PRIMARY REGION "${EAST}"`,
      `ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${EAST2}"`,
      `ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"`,
      'ALTER DATABASE hydra SURVIVE REGION FAILURE',
      `ALTER DATABASE hydra SET SECONDARY REGION "${EAST2}"`,
    ]);
    expect(stateOf(s).keto).toEqual({ ...CONVERGED, regions: [...THREE].sort() });
  });

  it('finishes a partial rollout (one database half-added, one converged, one fresh) and leaves the converged one alone', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, THREE, { hydra: multiRegion(EAST, [EAST, EAST2]), kratos: CONVERGED, keto: null });
    const rounds = convergeAndReapply(s, { regions: THREE });
    expect(rounds.flat().filter((st) => st.includes('kratos'))).toEqual([]);
    expect(hydraOf(rounds)).toEqual([`ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${WEST}"`, 'ALTER DATABASE hydra SURVIVE REGION FAILURE', `ALTER DATABASE hydra SET SECONDARY REGION "${EAST2}"`]);
    for (const d of ORY) expect(stateOf(s)[d]).toEqual({ ...CONVERGED, regions: [...THREE].sort() });
  });

  it('decides nothing for a converged cluster', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, THREE, everyOry(CONVERGED));
    expect(decideRegionConvergence({ regions: THREE }, observe(s))).toEqual({ kind: 'statements', statements: [] });
  });

  it('keeps two regions at the ZONE goal (REGION needs three) with the secondary set', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, [EAST, EAST2], everyOry(null));
    convergeAndReapply(s, { regions: [EAST, EAST2] });
    expect(stateOf(s).kratos).toEqual(multiRegion(EAST, [EAST, EAST2], { secondaryRegion: EAST2 }));
  });

  it('refuses, with no statement, a desired region without a live node, and a database that does not exist', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, [EAST, EAST2], everyOry(multiRegion(EAST, [EAST])), [WEST]);
    const refused = decideRegionConvergence({ regions: THREE }, observe(s));
    expect(refused.kind).toBe('refused');
    expect(refused.kind === 'refused' && refused.reason).toMatch(new RegExp(`No live node has the region ${WEST} .*${EAST}, ${EAST2}`));
    expect(decideRegionConvergence({ regions: [EAST], databases: ['hydra', 'nothere'] }, observe(s))).toEqual({ kind: 'refused', reason: expect.stringContaining('nothere does not exist') });
    expect(decideRegionConvergence({ regions: [EAST, EAST] }, observe(s))).toEqual({ kind: 'refused', reason: expect.stringContaining('listed twice') });
    expect(decideRegionConvergence({ regions: [] }, observe(s)).kind).toBe('refused');
  });

  it('removes a region: ZONE goal before fewer than three regions remain, then DROP REGION (the node-less region can go)', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, [EAST, EAST2], everyOry(CONVERGED), [WEST]);
    const rounds = convergeAndReapply(s, { regions: [EAST, EAST2] });
    expect(hydraOf(rounds)).toEqual(['ALTER DATABASE hydra SURVIVE ZONE FAILURE', `ALTER DATABASE hydra DROP REGION IF EXISTS "${WEST}"`]);
    expect(stateOf(s).hydra).toEqual(multiRegion(EAST, [EAST, EAST2], { secondaryRegion: EAST2 }));
  });

  it('removes the secondary region: the new secondary is set before the old one is dropped', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, THREE, everyOry(CONVERGED));
    const rounds = convergeAndReapply(s, { regions: [EAST, WEST] });
    expect(hydraOf(rounds)).toEqual([`ALTER DATABASE hydra SET SECONDARY REGION "${WEST}"`, 'ALTER DATABASE hydra SURVIVE ZONE FAILURE', `ALTER DATABASE hydra DROP REGION IF EXISTS "${EAST2}"`]);
    expect(stateOf(s).hydra).toEqual(multiRegion(EAST, [EAST, WEST], { secondaryRegion: WEST }));
    // Down to the primary region alone: the secondary goes first.
    converge(s, { regions: [EAST] });
    expect(stateOf(s).hydra).toEqual(multiRegion(EAST, [EAST]));
  });

  it('moves the primary region to the secondary one (which must stop being the secondary first)', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, THREE, everyOry(CONVERGED));
    const rounds = convergeAndReapply(s, { regions: [EAST2, EAST, WEST] });
    expect(hydraOf(rounds)).toEqual(['ALTER DATABASE hydra DROP SECONDARY REGION IF EXISTS', `ALTER DATABASE hydra SET PRIMARY REGION "${EAST2}"`, `ALTER DATABASE hydra SET SECONDARY REGION "${EAST}"`]);
    expect(stateOf(s).hydra).toEqual({ ...CONVERGED, primaryRegion: EAST2, secondaryRegion: EAST, regions: [...THREE].sort() });
  });

  it('replaces a region under the REGION goal: the new one is added before the old one is dropped; the list is not replayed but decided again', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, [...THREE, EU], everyOry(CONVERGED));
    const desired = { regions: [EAST, EAST2, EU] };
    const rounds = converge(s, desired);
    expect(hydraOf(rounds)).toEqual([`ALTER DATABASE hydra ADD REGION IF NOT EXISTS "${EU}"`, `ALTER DATABASE hydra DROP REGION IF EXISTS "${WEST}"`]);
    const converged = stateOf(s);
    expect(converged.hydra).toEqual({ ...CONVERGED, regions: [EAST, EAST2, EU].sort() });
    // CockroachDB checks the survival goal before it looks the region up (docs: no DROP REGION with
    // the REGION goal and only three regions), so replaying DROP REGION IF EXISTS fails, harmlessly:
    const replay = apply(s, rounds[0]);
    expect(replay.stderr).toContain('at least 3 regions are required for surviving a region failure');
    expect(stateOf(s)).toEqual(converged);
    expect(decideRegionConvergence(desired, observe(s))).toEqual({ kind: 'statements', statements: [] });
  });
});

describe('multi-region convergence from every valid starting state', () => {
  // Every state a database can be in with four cluster regions (CockroachDB's own limits: the
  // secondary is a database region other than the primary, the REGION goal needs three regions),
  // one database each, converged together against the stub. The end state is the target,
  // written out here: the desired primary and secondary, exactly the desired regions, the REGION
  // goal from three regions on.
  const ALL = [EAST, EAST2, WEST, EU];
  const subsets = (items: string[]): string[][] => items.reduce<string[][]>((acc, item) => [...acc, ...acc.map((set) => [...set, item])], [[]]);
  const states: (StubDatabaseRegions | null)[] = [null];
  for (const primary of ALL) {
    for (const others of subsets(ALL.filter((r) => r !== primary))) {
      const regions = [primary, ...others];
      for (const secondaryRegion of [null, ...others]) {
        for (const survivalGoal of regions.length >= 3 ? (['zone', 'region'] as const) : (['zone'] as const)) states.push({ primaryRegion: primary, secondaryRegion, regions, survivalGoal });
      }
    }
  }
  const databases = states.map((_, i) => `db_${i}`);

  for (const desired of [[EAST, EAST2, WEST], [EAST2, WEST, EAST], [EAST, EAST2], [WEST], [EAST, EAST2, EU], [EU, WEST, EAST2, EAST]]) {
    it(`reaches ${desired.join(', ')} in one round from each of the ${states.length} states`, () => {
      const s = new StubSandbox({ inProcess: true });
      regionCluster(s, ALL, Object.fromEntries(states.map((state, i) => [databases[i], state])));
      const rounds = converge(s, { regions: desired, databases });
      expect(rounds).toHaveLength(1);
      const expected: StubDatabaseRegions = { primaryRegion: desired[0], secondaryRegion: desired[1] ?? null, regions: [...desired].sort(), survivalGoal: desired.length >= 3 ? 'region' : 'zone' };
      const after = stateOf(s);
      for (const db of databases) expect(after[db], `${db}: ${JSON.stringify(states[databases.indexOf(db)])}`).toEqual(expected);
    });
  }
});

describe('observation parsing', () => {
  it('reads the CSV cockroach sql prints, NULLs and arrays included, and refuses anything else', () => {
    const s = new StubSandbox({ inProcess: true });
    regionCluster(s, THREE, { hydra: CONVERGED, keto: null });
    expect(observe(s)).toEqual({
      clusterRegions: [EAST, EAST2, WEST],
      databases: [
        { database: 'hydra', primaryRegion: EAST, secondaryRegion: EAST2, regions: [EAST, EAST2, WEST], survivalGoal: 'region' },
        { database: 'keto', primaryRegion: null, secondaryRegion: null, regions: [], survivalGoal: null },
      ],
    });
    expect(csv(sql(s, [CLUSTER_REGIONS_QUERY]))[0]).toBe('region');
    expect(() => parseClusterRegions('name\nx\n')).toThrow(/unexpected header/);
    expect(() => parseDatabaseRegions('database_name,primary_region,secondary_region,regions,survival_goal\nhydra,us-east-1,NULL,{us-east-1},forever\n')).toThrow(/survival goal/);
    expect(() => parseDatabaseRegions('database_name,primary_region,secondary_region,regions,survival_goal\nhydra,"us east",NULL,{},zone\n')).toThrow(/region name/);
  });

  it('reads the same rows as a PostgreSQL-wire client returns them (NULL as null, STRING[] as an array), with the same checks', () => {
    const text = 'database_name,primary_region,secondary_region,regions,survival_goal\nhydra,us-east-1,us-east-2,"{us-east-1,us-east-2,us-west-2}",region\nketo,NULL,NULL,{},NULL\n';
    const rows = [
      { database_name: 'hydra', primary_region: EAST, secondary_region: EAST2, regions: [EAST, EAST2, WEST], survival_goal: 'region' },
      { database_name: 'keto', primary_region: null, secondary_region: null, regions: [], survival_goal: null },
    ];
    expect(databaseRegionsFromRows(rows)).toEqual(parseDatabaseRegions(text));
    expect(databaseRegionsFromRows([{ ...rows[0], regions: `{${EAST},${WEST}}` }])[0]?.regions).toEqual([EAST, WEST]);
    expect(() => databaseRegionsFromRows([{ ...rows[0], survival_goal: 'forever' }])).toThrow(/survival goal/);
    expect(() => databaseRegionsFromRows([{ ...rows[0], regions: ['us east'] }])).toThrow(/region name/);
    expect(() => databaseRegionsFromRows([{ ...rows[0], regions: 3 }])).toThrow(/unexpected regions/);
    expect(() => databaseRegionsFromRows([{ ...rows[0], primary_region: 1 }])).toThrow(/unexpected primary_region/);
  });
});

describe('the state the convergence leads to (what the verifier expects)', () => {
  // Written out by hand from the docs the header of region-convergence.ts cites; the THREE case is
  // CONVERGED, where the stub (CockroachDB's rules, not the decision's) ends up in the tests above.
  it.each([
    [[EAST], { primaryRegion: EAST, secondaryRegion: null, regions: [EAST], survivalGoal: 'zone' }],
    [[EAST, EAST2], { primaryRegion: EAST, secondaryRegion: EAST2, regions: [EAST, EAST2], survivalGoal: 'zone' }],
    [THREE, { primaryRegion: EAST, secondaryRegion: EAST2, regions: THREE, survivalGoal: 'region' }],
    [[...THREE, EU], { primaryRegion: EAST, secondaryRegion: EAST2, regions: [...THREE, EU], survivalGoal: 'region' }],
  ])('%j: primary, secondary, regions and survival goal; the decision has nothing left to do there', (regions, expected) => {
    expect(expectedDatabaseRegions({ regions }, 'hydra')).toEqual({ database: 'hydra', ...expected });
    const observed = { clusterRegions: regions, databases: ['hydra', 'kratos', 'keto'].map((d) => expectedDatabaseRegions({ regions }, d)) };
    expect(decideRegionConvergence({ regions }, observed)).toEqual({ kind: 'statements', statements: [] });
  });
});

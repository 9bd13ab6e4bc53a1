import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StubRun, StubSandbox } from '../stub-sandbox';

/** A probe: runs one stub behaviour on its own and checks it against its row. */
export type Probe = (s: StubSandbox) => void;

/** root's client certificate files, as every node keeps them. */
export function rootCerts(s: StubSandbox): string {
  const dir = join(s.dir, 'certs');
  mkdirSync(dir, { recursive: true });
  for (const name of ['ca.crt', 'client.root.crt', 'client.root.key']) writeFileSync(join(dir, name), `${name}\n`);
  return dir;
}

/** A running, initialized three-node cluster on v25.4.0 plus `extra` state. */
export function cluster(s: StubSandbox, extra: Record<string, unknown> = {}): void {
  s.writeJson('cluster.json', {
    initialized: true,
    dbs: {},
    events: [],
    clusterId: '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f',
    nodes: Object.fromEntries([1, 2, 3].map((n) => [n, { binary: 'v25.4.0', address: `10.10.1${n - 1}.10:26257`, status: 'running', live: true, draining: false }])),
    ...extra,
  });
}

/** `cockroach sql --format=csv -e <statement>...` as root on node `node` (default 1). */
export function sql(s: StubSandbox, statements: readonly string[], options: { database?: string; node?: number } = {}): StubRun {
  const args = ['sql', `--certs-dir=${rootCerts(s)}`, '--host=localhost:26257', '--format=csv', ...(options.database ? [`--database=${options.database}`] : []), ...statements.flatMap((st) => ['-e', st])];
  return s.run('cockroach', args, { env: { STUB_NODE: String(options.node ?? 1) } });
}

/** The rows of a CSV result, header first. */
export function csv(run: StubRun): string[] {
  return run.stdout.trim().split('\n');
}

/** A database's multi-region state in the cockroach stub (absent: not multi-region). */
export interface StubDatabaseRegions {
  readonly primaryRegion: string | null;
  readonly secondaryRegion: string | null;
  readonly regions: readonly string[];
  readonly survivalGoal: 'zone' | 'region' | null;
}

/**
 * A running cluster with three live nodes in each of `regions` (`--locality=region=<r>,zone=<r>a..c`),
 * nodes of `downRegions` not live, and the databases `dbs` (name -> its regions, or null for a
 * database that is not multi-region yet).
 */
export function regionCluster(s: StubSandbox, regions: readonly string[], dbs: Record<string, StubDatabaseRegions | null>, downRegions: readonly string[] = []): void {
  const nodes = [...regions, ...downRegions].flatMap((region, r) =>
    ['a', 'b', 'c'].map((zone, z) => ({ region, zone: `${region}${zone}`, address: `10.${10 + r}.${z}.10:26257`, live: regions.includes(region) })),
  );
  cluster(s, {
    dbs: Object.fromEntries(Object.entries(dbs).map(([name, r]) => [name, { grants: {}, schema: { grants: {} }, defaultPrivileges: [], objects: {}, ...(r ? { regions: r } : {}) }])),
    nodes: Object.fromEntries(
      nodes.map((n, i) => [i + 1, { binary: 'v25.4.0', address: n.address, locality: `region=${n.region},zone=${n.zone}`, status: n.live ? 'running' : 'crashed', live: n.live, draining: false }]),
    ),
  });
}

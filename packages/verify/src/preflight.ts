import type pg from 'pg';
import type { DbTarget, ServiceTarget } from './config';
import { connectDatabase, describeTarget, query, type Row } from './database';
import { expectThat } from './flow';
import type { FlowRun } from './flow';
import type { ServiceName } from './settings';

/** The tables each service's checks read: present only once its migrations ran. */
export const REQUIRED_TABLES: Readonly<Record<ServiceName, readonly string[]>> = {
  hydra: ['hydra_client', 'hydra_oauth2_access', 'networks'],
  kratos: ['identities', 'identity_credentials', 'identity_credential_types', 'identity_credential_identifiers', 'sessions', 'networks'],
  keto: ['keto_relation_tuples', 'keto_uuid_mappings', 'networks'],
};

const MIGRATIONS_CAUSE: Record<ServiceName, string> = {
  hydra: 'tables missing: Hydra\'s migrations have not run on this database (`hydra migrate sql`, or the chart\'s automigration job), or --hydra-db-name names the wrong database',
  kratos: 'tables missing: Kratos\'s migrations have not run on this database (`kratos migrate sql`, or the chart\'s automigration job), or --kratos-db-name names the wrong database',
  keto: 'tables missing: Keto\'s migrations have not run on this database (`keto migrate up`, or the chart\'s automigration job), or --keto-db-name names the wrong database',
};

/** Connects with verify-full and shows who and where the connection is. */
export async function connectStep(run: FlowRun, db: DbTarget, timeoutMs: number): Promise<pg.Client> {
  return run.step('preflight: connect (sslmode=verify-full)', async () => {
    const client = await connectDatabase(db, timeoutMs);
    const record = await query(client, db, timeoutMs, 'SELECT current_user AS sql_user, current_database() AS database, version() AS server_version');
    return { value: client, record };
  });
}

async function tablesStep(run: FlowRun, client: pg.Client, target: ServiceTarget, timeoutMs: number): Promise<void> {
  await run.step('preflight: tables (migrations ran)', async () => {
    const wanted = REQUIRED_TABLES[target.service];
    const rows = await query(client, target.db, timeoutMs, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name", [wanted]);
    const found = new Set(rows.map((r) => r['table_name']));
    const missing = wanted.filter((t) => !found.has(t));
    expectThat(missing.length === 0, 'tables-missing', `${describeTarget(target.db)} lacks table(s) ${missing.join(', ')}`, MIGRATIONS_CAUSE[target.service]);
    return { value: undefined, record: rows };
  });
}

const PRIVILEGES_SQL = `
SELECT t.table_name,
       o.tableowner AS owner,
       has_table_privilege(current_user, t.table_name, 'SELECT') AS can_select,
       has_table_privilege(current_user, t.table_name, 'INSERT') AS can_insert,
       has_table_privilege(current_user, t.table_name, 'UPDATE') AS can_update,
       has_table_privilege(current_user, t.table_name, 'DELETE') AS can_delete
  FROM unnest($1::text[]) AS t(table_name)
  LEFT JOIN pg_catalog.pg_tables o ON o.schemaname = 'public' AND o.tablename = t.table_name
 ORDER BY t.table_name`;

/**
 * The connecting user reads what it must and no more: never a superuser; a user that does not
 * own the tables (the read-only verifier) may SELECT but not write; with `tableOwner` set, the
 * tables belong to the user that runs the service's migrations.
 */
async function privilegesStep(run: FlowRun, client: pg.Client, target: ServiceTarget, timeoutMs: number): Promise<void> {
  await run.step('preflight: privileges', async () => {
    const [role] = await query(client, target.db, timeoutMs, 'SELECT rolname, rolsuper, rolcreaterole, rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = current_user');
    const user = target.db.user;
    expectThat(!role?.['rolsuper'], 'privileges', `SQL user ${user} is a superuser/admin`, 'too much privilege: verify (and run services) with a user limited to its database, e.g. the read-only verifier user');
    const tables = await query(client, target.db, timeoutMs, PRIVILEGES_SQL, [REQUIRED_TABLES[target.service]]);
    for (const t of tables) checkTablePrivileges(t, user, target);
    return { value: undefined, record: tables };
  });
}

function checkTablePrivileges(t: Row, user: string, target: ServiceTarget): void {
  const table = String(t['table_name']);
  expectThat(t['can_select'] === true, 'privileges', `SQL user ${user} cannot SELECT from ${table}`, `missing privilege: GRANT SELECT on ${target.db.database}'s tables to ${user} (the cockroach stack does it through default privileges)`);
  if (target.tableOwner) {
    expectThat(t['owner'] === target.tableOwner, 'privileges', `${table} is owned by ${String(t['owner'])}, expected ${target.tableOwner}`, `the migrations ran as another user: ${target.tableOwner} must own its tables to run future migrations`);
  }
  if (t['owner'] !== user) {
    const writes = ['insert', 'update', 'delete'].filter((p) => t[`can_${p}`] === true);
    expectThat(writes.length === 0, 'privileges', `read-only SQL user ${user} can ${writes.join('/').toUpperCase()} on ${table}`, 'too much privilege: the verifier user must be read-only (SELECT only)');
  }
}

/** Connects, proves migrations ran and checks privileges. Returns the open connection. */
export async function runPreflight(run: FlowRun, target: ServiceTarget, timeoutMs: number): Promise<pg.Client> {
  const client = await connectStep(run, target.db, timeoutMs);
  try {
    await tablesStep(run, client, target, timeoutMs);
    await privilegesStep(run, client, target, timeoutMs);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

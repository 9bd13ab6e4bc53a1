import { ORY_DATABASES, OryDatabase, SqlUserNames } from './sql-users';

/**
 * What a service user owns and is granted in its database, and what the verifier may do there:
 * the one definition both the bootstrap (a new cluster) and a restore (which leaves root owning
 * everything and no grant, see `restoreAccessStatements`) apply, and the one check of it.
 *
 * - The service user runs its migrations, so it owns every table, sequence, view and type in its
 *   database; it holds ALL on the database and CREATE and USAGE on its public schema.
 * - The verifier may connect and SELECT every table, including the ones the service creates
 *   later (default privileges for the service user's tables).
 *
 * Every statement here is also valid PostgreSQL, so the verifier's tests apply them to a real
 * PostgreSQL (packages/verify/test/restored-access.spec.ts).
 */
export interface DatabaseAccess {
  /** The Ory service, also the name of its database. */
  readonly service: OryDatabase;
  /** The service's SQL user: owner of everything in the database. */
  readonly owner: string;
  /** The verifier's SQL user: connects and reads. */
  readonly reader: string;
}

export function databaseAccesses(users: SqlUserNames): DatabaseAccess[] {
  return ORY_DATABASES.map((service) => ({ service, owner: users[service], reader: users.verifier }));
}

/** Grant statements of one database: `onDatabase` name it (run anywhere), `inDatabase` run with it as the current database. */
export interface AccessGrantStatements {
  readonly onDatabase: readonly string[];
  readonly inDatabase: readonly string[];
}

/**
 * The grants of `access` on `database` (default the service's own; a restore grants on the
 * restored copy before it takes the service's name: grants belong to the database, not its name).
 * Idempotent.
 */
export function accessGrantStatements(access: DatabaseAccess, database: string = access.service): AccessGrantStatements {
  const { owner, reader } = access;
  return {
    onDatabase: [`GRANT ALL ON DATABASE ${database} TO ${owner}`, `GRANT CONNECT ON DATABASE ${database} TO ${reader}`],
    inDatabase: [
      `GRANT CREATE, USAGE ON SCHEMA public TO ${owner}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT ON TABLES TO ${reader}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`,
    ],
  };
}

/** A table, view, sequence or enum type of the public schema, as the catalog reports it. */
export interface CatalogObject {
  readonly name: string;
  /** `r` table, `v` view, `m` materialized view, `S` sequence (`pg_class.relkind`); `e` enum type. */
  readonly kind: 'r' | 'v' | 'm' | 'S' | 'e';
  readonly owner: string;
  /** Whether `reader` may SELECT it (`has_table_privilege`; true for types). */
  readonly readerSelect: boolean;
}

/**
 * Every table, view, sequence and enum of the public schema of the current database, with its
 * owner and whether `reader` may SELECT it (pg_catalog, as in PostgreSQL; CockroachDB has the
 * same tables and functions). Columns: name, kind, owner, reader_select.
 */
export function catalogObjectsQuery(reader: string): string {
  return [
    `SELECT c.relname AS name, c.relkind::TEXT AS kind, pg_get_userbyid(c.relowner) AS owner, has_table_privilege('${reader}', c.oid, 'SELECT') AS reader_select`,
    "FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S')",
    "UNION ALL SELECT t.typname, 'e', pg_get_userbyid(t.typowner), true",
    "FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e' ORDER BY name",
  ].join(' ');
}

const KINDS = ['r', 'v', 'm', 'S', 'e'] as const;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Rows of `catalogObjectsQuery` (strings as a CSV gives them, or typed as a driver gives them). */
export function parseCatalogObjects(rows: ReadonlyArray<ReadonlyArray<string | boolean>>): CatalogObject[] {
  return rows.map(([name, kind, owner, select]) => {
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) throw new Error(`unexpected object name in the catalog: ${String(name)}`);
    if (!(KINDS as readonly unknown[]).includes(kind)) throw new Error(`unexpected kind "${String(kind)}" of ${name} in the catalog`);
    return { name, kind: kind as CatalogObject['kind'], owner: String(owner), readerSelect: select === true || select === 't' || select === 'true' };
  });
}

const ALTER: Record<CatalogObject['kind'], string> = { r: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE', e: 'TYPE' };
/** Tables and views first: in PostgreSQL a sequence owned by a table column follows its table and refuses a change of its own. */
const ROUNDS: ReadonlyArray<ReadonlyArray<CatalogObject['kind']>> = [['r', 'v', 'm'], ['S'], ['e']];

/**
 * The next round of `ALTER ... OWNER TO <owner>` statements for the objects not owned by
 * `owner` (empty: every object is the owner's). Run them, read the catalog again, repeat.
 */
export function nextOwnershipStatements(objects: readonly CatalogObject[], owner: string): string[] {
  const wrong = objects.filter((o) => o.owner !== owner);
  const round = ROUNDS.find((kinds) => wrong.some((o) => kinds.includes(o.kind))) ?? [];
  return wrong.filter((o) => round.includes(o.kind)).map((o) => `ALTER ${ALTER[o.kind]} public.${quoteIdent(o.name)} OWNER TO ${owner}`);
}

/** Database- and schema-level privileges of the current database (one row: owner_create, reader_connect, owner_schema_create, owner_schema_usage). */
export function databasePrivilegesQuery(access: DatabaseAccess): string {
  const { owner, reader } = access;
  return [
    `SELECT has_database_privilege('${owner}', current_database(), 'CREATE') AS owner_create,`,
    `has_database_privilege('${reader}', current_database(), 'CONNECT') AS reader_connect,`,
    `has_schema_privilege('${owner}', 'public', 'CREATE') AS owner_schema_create,`,
    `has_schema_privilege('${owner}', 'public', 'USAGE') AS owner_schema_usage`,
  ].join(' ');
}

const yes = (value: string | boolean | undefined): boolean => value === true || value === 't' || value === 'true';

/**
 * What differs from the access bootstrap gives (empty: none), from the catalog objects and the
 * one row of `databasePrivilegesQuery` of that database.
 */
export function accessProblems(access: DatabaseAccess, objects: readonly CatalogObject[], privileges: ReadonlyArray<string | boolean>): string[] {
  const problems: string[] = [];
  const [create, connect, schemaCreate, schemaUsage] = privileges;
  if (!yes(create)) problems.push(`${access.owner} lacks CREATE (ALL) on the database`);
  if (!yes(connect)) problems.push(`${access.reader} cannot CONNECT to the database`);
  if (!yes(schemaCreate) || !yes(schemaUsage)) problems.push(`${access.owner} lacks CREATE or USAGE on schema public`);
  const foreign = objects.filter((o) => o.owner !== access.owner);
  if (foreign.length > 0) problems.push(`${foreign.map((o) => `${o.name} (owner ${o.owner})`).join(', ')} not owned by ${access.owner}`);
  const unreadable = objects.filter((o) => ['r', 'v', 'm'].includes(o.kind) && !o.readerSelect);
  if (unreadable.length > 0) problems.push(`${access.reader} cannot SELECT ${unreadable.map((o) => o.name).join(', ')}`);
  return problems;
}

/** `"name"`: one SQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

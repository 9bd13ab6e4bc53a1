import { describe, expect, it } from 'vitest';
import { DEFAULT_SQL_USERS, accessGrantStatements, accessProblems, databaseAccesses, nextOwnershipStatements, parseCatalogObjects, renderBootstrapSql } from '../src';

const [hydra] = databaseAccesses(DEFAULT_SQL_USERS);

describe('database access: what a service user owns and is granted (bootstrap and restore)', () => {
  it('is what the bootstrap grants, database by database', () => {
    const sql = renderBootstrapSql(DEFAULT_SQL_USERS);
    for (const access of databaseAccesses(DEFAULT_SQL_USERS)) {
      const grants = accessGrantStatements(access);
      const block = [...grants.onDatabase, `USE ${access.service}`, ...grants.inDatabase].map((s) => `${s};`).join('\n');
      expect(sql).toContain(block);
    }
  });

  it('grants on the database it is given (a restored copy before it takes the service name)', () => {
    expect(accessGrantStatements(hydra!, 'hydra_restoring').onDatabase).toEqual(['GRANT ALL ON DATABASE hydra_restoring TO hydra', 'GRANT CONNECT ON DATABASE hydra_restoring TO verifier']);
  });

  it('transfers ownership tables and views first, then sequences (PostgreSQL moves a table-owned sequence with its table), then types', () => {
    const objects = parseCatalogObjects([
      ['hydra_client', 'r', 'root', 'f'],
      ['hydra_client_pk_seq', 'S', 'root', 'f'],
      ['mood', 'e', 'root', 't'],
      ['networks', 'r', 'hydra', 't'],
    ]);
    expect(nextOwnershipStatements(objects, 'hydra')).toEqual(['ALTER TABLE public."hydra_client" OWNER TO hydra']);
    const afterTables = objects.map((o) => (o.kind === 'r' ? { ...o, owner: 'hydra' } : o));
    expect(nextOwnershipStatements(afterTables, 'hydra')).toEqual(['ALTER SEQUENCE public."hydra_client_pk_seq" OWNER TO hydra']);
    expect(nextOwnershipStatements(afterTables.map((o) => (o.kind === 'S' ? { ...o, owner: 'hydra' } : o)), 'hydra')).toEqual(['ALTER TYPE public."mood" OWNER TO hydra']);
    expect(nextOwnershipStatements(objects.map((o) => ({ ...o, owner: 'hydra' })), 'hydra')).toEqual([]);
  });

  it('names every difference from the bootstrap access', () => {
    const objects = parseCatalogObjects([
      ['hydra_client', 'r', 'root', false],
      ['hydra_client_pk_seq', 'S', 'hydra', false],
    ]);
    expect(accessProblems(hydra!, objects, ['f', 't', 'f', 't'])).toEqual([
      'hydra lacks CREATE (ALL) on the database',
      'hydra lacks CREATE or USAGE on schema public',
      'hydra_client (owner root) not owned by hydra',
      'verifier cannot SELECT hydra_client',
    ]);
    expect(accessProblems(hydra!, objects.map((o) => ({ ...o, owner: 'hydra', readerSelect: true })), [true, true, true, true])).toEqual([]);
  });

  it('refuses catalog rows it cannot render back into SQL safely', () => {
    expect(() => parseCatalogObjects([['x"; DROP', 'r', 'root', 't']])).toThrow(/unexpected object name/);
    expect(() => parseCatalogObjects([['x', 'i', 'root', 't']])).toThrow(/unexpected kind "i"/);
  });
});

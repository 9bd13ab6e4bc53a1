import { describe, expect, it } from 'vitest';
import { restoreStatements } from '../src/ops/restore-sql';
import { BACKUP_BUCKET, RollWorld } from './roll-world';

const CLUSTER = '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f';
const OLD_CLUSTER = '0f1e2d3c-4b5a-4968-8776-655443322110';
const collection = (id: string) => `s3://${BACKUP_BUCKET}/clusters/${id}`;
const uri = (id: string) => `${collection(id)}?AUTH=implicit&AWS_REGION=us-east-1`;

/** A healthy cluster with the Ory databases, and backups of them in its own collection and an older cluster's. */
const PATH = '2026/03/01-000000.00';
const chain = { path: PATH, revisionHistory: true, layers: [{ type: 'full', start: null, end: '2026-03-01T00:00:00Z' }], databases: Object.fromEntries(['hydra', 'kratos', 'keto'].map((db) => [db, { objects: { networks: { kind: 'table', rows: 1 } } }])) };
const emptyDb = () => ({ grants: {}, schema: { grants: {} }, defaultPrivileges: [], objects: {} });
function world(): RollWorld {
  return new RollWorld({
    configured: 'v25.4.0',
    pending: [],
    cluster: { dbs: { hydra: emptyDb(), keto: emptyDb(), kratos: emptyDb() }, backups: { [collection(CLUSTER)]: [chain], [collection(OLD_CLUSTER)]: [chain] } },
  });
}

describe('restore statements', () => {
  const request = { databases: ['hydra'], mode: 'side-by-side' as const, bucketName: BACKUP_BUCKET, region: 'us-east-1', fromClusterId: CLUSTER };

  it('side by side: one RESTORE per database, renamed, from the latest backup of the collection', () => {
    expect(restoreStatements({ ...request, databases: ['hydra', 'keto'] })).toEqual([
      `RESTORE DATABASE hydra FROM LATEST IN '${uri(CLUSTER)}' WITH new_db_name = 'hydra_restored'`,
      `RESTORE DATABASE keto FROM LATEST IN '${uri(CLUSTER)}' WITH new_db_name = 'keto_restored'`,
    ]);
  });

  it('replace: drop the live databases, then restore them in one job; optionally as of a point in time', () => {
    expect(restoreStatements({ ...request, databases: ['hydra', 'kratos', 'keto'], mode: 'replace', asOf: '2026-03-01 14:30:00+00' })).toEqual([
      'DROP DATABASE IF EXISTS hydra CASCADE',
      'DROP DATABASE IF EXISTS kratos CASCADE',
      'DROP DATABASE IF EXISTS keto CASCADE',
      `RESTORE DATABASE hydra, kratos, keto FROM LATEST IN '${uri(CLUSTER)}' AS OF SYSTEM TIME '2026-03-01 14:30:00+00'`,
    ]);
  });

  it('refuses what it would not render safely, naming the option', () => {
    expect(() => restoreStatements({ ...request, databases: ['system'] })).toThrow('--database "system": allowed are hydra, kratos, keto');
    expect(() => restoreStatements({ ...request, fromClusterId: "x'; DROP" })).toThrow(/--from-cluster "x'; DROP": allowed is a cluster id/);
    expect(() => restoreStatements({ ...request, asOf: 'yesterday' })).toThrow(/--as-of "yesterday": allowed is a timestamp with its zone/);
    expect(() => restoreStatements({ ...request, databases: [] })).toThrow(/name at least one/);
  });
});

describe('restore against stubs', () => {
  it('side by side (the default): restores every Ory database of this cluster next to the live one', () => {
    const w = world();
    const result = w.restore();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(w.events()).toEqual(['hydra', 'kratos', 'keto'].map((db) => `restored ${db} as ${db}_restored from ${collection(CLUSTER)}/${PATH}`));
    expect(Object.keys(w.cluster().dbs)).toEqual(expect.arrayContaining(['hydra', 'hydra_restored', 'keto_restored', 'kratos_restored']));
    expect(result.stdout).toContain('then DROP DATABASE <db>_restored CASCADE');
  });

  it('refuses when an earlier side-by-side restore is still there', () => {
    const w = world();
    expect(w.restore('--database', 'hydra').status).toBe(0);
    const again = w.restore('--database', 'hydra');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('hydra_restored already exists (an earlier side-by-side restore): drop it first');
  });

  it('replace needs --yes; then drops the live databases and restores them, from another cluster\'s backups (a new cluster taking over)', () => {
    const w = world();
    const refused = w.restore('--mode', 'replace', '--from-cluster', OLD_CLUSTER);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--mode replace drops the live databases before restoring them: stop Ory first');
    expect(w.events()).toEqual([]);
    const result = w.restore('--mode', 'replace', '--from-cluster', OLD_CLUSTER, '--as-of', '2026-03-01 00:00:00+00', '--yes');
    expect(result.status).toBe(0);
    expect(w.events()).toEqual(['dropped hydra', 'dropped kratos', 'dropped keto', `restored hydra,kratos,keto from ${collection(OLD_CLUSTER)}/${PATH} as of 2026-03-01 00:00:00+00`]);
  });

  it('--dry-run prints the statements and changes nothing', () => {
    const w = world();
    const result = w.restore('--mode', 'replace', '--database', 'kratos', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`  RESTORE DATABASE kratos FROM LATEST IN '${uri(CLUSTER)}';`);
    expect(result.stdout).toContain('Dry run: would run on node 1');
    expect(w.events()).toEqual([]);
  });

  it('--list shows the clusters that have a backup collection', () => {
    const w = world();
    w.putObjects(BACKUP_BUCKET, [`clusters/${OLD_CLUSTER}/2026/03/01-000000.00/BACKUP_MANIFEST`, `clusters/${CLUSTER}/LATEST`]);
    const result = w.restore('--list');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`  ${OLD_CLUSTER}\n  ${CLUSTER}`);
  });

  it('stops with CockroachDB\'s error when the collection has no backup', () => {
    const w = world();
    const result = w.restore('--database', 'hydra', '--from-cluster', '11111111-2222-4333-8444-555555555555');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no backups found');
  });
});

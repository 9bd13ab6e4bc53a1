import { assert, describe, expect, it } from 'vitest';
import { restoreDatabaseSql, swapSql, unswapSql, validateFromBucket, validateRestoreRequest } from '../src/ops/restore-sql';
import { BACKUP_BUCKET, RollWorld } from './roll-world';

const CLUSTER = '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f';
const OLD_CLUSTER = '0f1e2d3c-4b5a-4968-8776-655443322110';
const collection = (id: string) => `s3://${BACKUP_BUCKET}/clusters/${id}`;
const uri = (id: string) => `${collection(id)}?AUTH=implicit&AWS_REGION=us-east-1`;
const SERVICES = ['hydra', 'kratos', 'keto'] as const;

/** What each service's migrations created (v26.2.0 schemas: every service has `networks`; Hydra a sequence). */
const OBJECTS: Record<string, Record<string, { kind: string; rows?: number }>> = {
  hydra: { networks: { kind: 'table', rows: 1 }, hydra_client: { kind: 'table', rows: 12 }, hydra_client_pk_seq: { kind: 'sequence' } },
  kratos: { networks: { kind: 'table', rows: 1 }, identities: { kind: 'table', rows: 40 } },
  keto: { networks: { kind: 'table', rows: 1 }, keto_relation_tuples: { kind: 'table', rows: 7 } },
};

/** A live database as the bootstrap and the service's migrations leave it. */
function liveDatabase(service: string, rows = 100) {
  const objects = OBJECTS[service];
  assert.exists(objects, `the objects of ${service}'s migrations`);
  return {
    grants: { admin: ['ALL'], public: ['CONNECT'], root: ['ALL'], [service]: ['ALL'], verifier: ['CONNECT'] },
    schema: { grants: { admin: ['ALL'], public: ['CREATE', 'USAGE'], root: ['ALL'], [service]: ['CREATE', 'USAGE'] } },
    defaultPrivileges: [`tables of ${service} -> SELECT for verifier`],
    objects: Object.fromEntries(Object.entries(objects).map(([name, o]) => [name, { kind: o.kind, owner: service, grants: o.kind === 'table' ? { verifier: ['SELECT'] } : {}, rows }])),
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
/** One chain per day from 2026-02-22 to 2026-03-02: a full backup at 00:00 and incrementals at 06:00, 12:00, 18:00; the full backup's revision history reaches 4 h back. */
function dailyChains(days = 9, databases: Record<string, unknown> = Object.fromEntries(SERVICES.map((s) => [s, { objects: OBJECTS[s] }]))) {
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(Date.UTC(2026, 1, 22 + i - (days === 1 ? 21 : 0)));
    const at = (hour: number) => `${day(d)}T${String(hour).padStart(2, '0')}:00:00Z`;
    return {
      path: `${day(d).replace(/-/g, '/')}-000000.00`,
      revisionHistory: true,
      layers: [
        { type: 'full', start: null, end: at(0), revisionStart: new Date(d.getTime() - 4 * 3600_000).toISOString() },
        { type: 'incremental', start: at(0), end: at(6) },
        { type: 'incremental', start: at(6), end: at(12) },
        { type: 'incremental', start: at(12), end: at(18) },
      ],
      databases,
    };
  });
}

/** `stubProcesses`: the stubs as processes of their own (RollWorldOptions), in this file's one end-to-end spec of the command. */
function world(cluster: Record<string, unknown> = {}, stubProcesses = false): RollWorld {
  return new RollWorld({
    stubProcesses,
    configured: 'v25.4.0',
    pending: [],
    cluster: {
      users: ['hydra', 'keto', 'kratos', 'verifier'],
      dbs: Object.fromEntries(SERVICES.map((s) => [s, liveDatabase(s)])),
      backups: { [collection(CLUSTER)]: dailyChains(), [collection(OLD_CLUSTER)]: dailyChains(1) },
      ...cluster,
    },
  });
}

/** The databases as bootstrap + migrations leave them: each object the service's, the verifier reads every table. */
function expectServiceAccess(db: any, service: string) {
  expect(db.grants[service]).toEqual(['ALL']);
  expect(db.grants.verifier).toEqual(['CONNECT']);
  expect(db.schema.grants[service]).toEqual(['CREATE', 'USAGE']);
  expect(db.defaultPrivileges).toEqual([`tables of ${service} -> SELECT for verifier`]);
  for (const [name, o] of Object.entries<any>(db.objects)) {
    expect([name, o.owner]).toEqual([name, service]);
    if (o.kind === 'table') expect([name, o.grants.verifier]).toEqual([name, ['SELECT']]);
  }
}

/**
 * A test that runs the command several times, each a process that runs every SQL statement through
 * the SSM and cockroach stubs (dozens of processes): about 10 to 25 s on two cores, which a
 * loaded machine stretches past vitest's default of 30 s.
 */
const RESTORE_TIMEOUT = 120_000;

describe('restore statements', () => {
  it('restores one database from a named backup chain under another name, optionally as of a time', () => {
    expect(restoreDatabaseSql('hydra', 'hydra_restoring', uri(CLUSTER), '2026/02/27-000000.00', '2026-02-27 12:30:00+00')).toBe(
      `RESTORE DATABASE hydra FROM '2026/02/27-000000.00' IN '${uri(CLUSTER)}' AS OF SYSTEM TIME '2026-02-27 12:30:00+00' WITH new_db_name = 'hydra_restoring'`,
    );
  });

  it('adds skip_localities_check when asked (after losing a region), and restores from a bucket in another region', () => {
    const replica = `s3://crdb-ory-backups-123456789012-us-east-2/clusters/${CLUSTER}?AUTH=implicit&AWS_REGION=us-east-2`;
    expect(restoreDatabaseSql('hydra', 'hydra_restored', replica, '2026/02/27-000000.00', undefined, { skipLocalitiesCheck: true })).toBe(
      `RESTORE DATABASE hydra FROM '2026/02/27-000000.00' IN '${replica}' WITH new_db_name = 'hydra_restored', skip_localities_check`,
    );
    expect(() => validateFromBucket('crdb-ory-backups-123456789012-us-east-2', undefined)).toThrow(/--from-bucket and --bucket-region go together/);
    expect(() => validateFromBucket('b', 'us-east-2')).toThrow(/--from-bucket "b": allowed is an S3 bucket name/);
    expect(() => validateFromBucket('crdb-ory-backups', 'east')).toThrow(/--bucket-region "east": allowed is an AWS region/);
  });

  it('swaps by renaming, keeping the live database, and undoes a swap the other way round', () => {
    expect(swapSql('kratos', true)).toEqual(['ALTER DATABASE kratos RENAME TO kratos_before_restore', 'ALTER DATABASE kratos_restoring RENAME TO kratos']);
    expect(swapSql('kratos', false)).toEqual(['ALTER DATABASE kratos_restoring RENAME TO kratos']);
    expect(unswapSql('kratos', true)).toEqual(['ALTER DATABASE kratos RENAME TO kratos_restoring', 'ALTER DATABASE kratos_before_restore RENAME TO kratos']);
  });

  it('refuses what it would not render safely, naming the option', () => {
    const request = { databases: ['hydra'], mode: 'replace' as const, bucketName: BACKUP_BUCKET, region: 'us-east-1', fromClusterId: CLUSTER };
    expect(() => validateRestoreRequest({ ...request, databases: ['system'] })).toThrow('--database "system": allowed are hydra, kratos, keto');
    expect(() => validateRestoreRequest({ ...request, fromClusterId: "x'; DROP" })).toThrow(/--from-cluster "x'; DROP": allowed is a cluster id/);
    expect(() => validateRestoreRequest({ ...request, asOf: 'yesterday' })).toThrow(/--as-of "yesterday": allowed is a timestamp with its zone/);
    expect(() => validateRestoreRequest({ ...request, databases: [] })).toThrow(/name at least one/);
    expect(() => validateRestoreRequest({ ...request, bucketName: "b'; DROP" })).toThrow(/not an S3 bucket name/);
  });
});

describe('restore --mode replace against stubs', { timeout: RESTORE_TIMEOUT }, () => {
  it('restores under new names, gives them the access the bootstrap gives, checks them, then swaps them in keeping the live ones', () => {
    const w = world();
    const result = w.restore('--mode', 'replace', '--yes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const latest = `${collection(CLUSTER)}/2026/03/02-000000.00`;
    expect(w.events()).toEqual([
      ...SERVICES.map((s) => `restored ${s} as ${s}_restoring from ${latest}`),
      ...SERVICES.flatMap((s) => [`renamed ${s} to ${s}_before_restore`, `renamed ${s}_restoring to ${s}`]),
    ]);
    const dbs = w.cluster().dbs;
    expect(Object.keys(dbs).sort()).toEqual(['hydra', 'hydra_before_restore', 'keto', 'keto_before_restore', 'kratos', 'kratos_before_restore']);
    // The service users can read and write again: they own every restored object, hold ALL on their database and CREATE on its schema.
    for (const s of SERVICES) expectServiceAccess(dbs[s], s);
    // The previous databases are kept as they were.
    for (const s of SERVICES) expect(dbs[`${s}_before_restore`]).toEqual(liveDatabase(s));
    expect(result.stdout).toContain('When satisfied, drop the previous databases: restore --drop-previous --yes');
  });

  it('a restore that fails midway leaves the live databases untouched and drops what it restored', () => {
    const w = world({ restoreFails: { kratos: 'importing 412 ranges: context canceled' } });
    const before = w.cluster().dbs;
    const result = w.restore('--mode', 'replace', '--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/RESTORE DATABASE kratos .* failed .*importing 412 ranges: context canceled/s);
    expect(result.stderr).toContain('The live databases were not touched; the restored copies (hydra_restoring) were dropped.');
    expect(w.cluster().dbs).toEqual(before);
    expect(w.events()).toEqual([`restored hydra as hydra_restoring from ${collection(CLUSTER)}/2026/03/02-000000.00`, 'dropped hydra_restoring']);
  });

  it('a restored database that is not a complete Ory database is never swapped in', () => {
    const databases = { hydra: { objects: OBJECTS['hydra'] }, kratos: { objects: OBJECTS['kratos'] }, keto: { objects: { keto_relation_tuples: { kind: 'table' } } } };
    const w = world({ backups: { [collection(CLUSTER)]: dailyChains(30, databases) } });
    const before = w.cluster().dbs;
    const result = w.restore('--mode', 'replace', '--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the restored keto_restoring is not what the bootstrap gives a new cluster: it has no networks table: not a migrated keto database');
    expect(w.cluster().dbs).toEqual(before);
  });

  it('refuses while Ory holds sessions, before restoring anything', () => {
    const w = world({ sessions: [{ user: 'kratos', node: 2 }, { user: 'kratos', node: 3 }] });
    const result = w.restore('--mode', 'replace', '--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Ory still has sessions open (kratos: 2) before restoring');
    expect(result.stderr).toContain('kubectl -n ory scale deployment hydra kratos keto --replicas=0');
    expect(w.events()).toEqual([]);
  });

  it('refuses while an earlier replace restore is not confirmed, and drops a leftover of an interrupted one', () => {
    const kept = world({ dbs: { ...Object.fromEntries(SERVICES.map((s) => [s, liveDatabase(s)])), hydra_before_restore: liveDatabase('hydra', 3) } });
    const refused = kept.restore('--mode', 'replace', '--yes');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('hydra_before_restore still holds the databases an earlier replace restore swapped out');
    expect(kept.events()).toEqual([]);

    const leftover = world({ dbs: { ...Object.fromEntries(SERVICES.map((s) => [s, liveDatabase(s)])), keto_restoring: liveDatabase('keto', 3) } });
    const result = leftover.restore('--mode', 'replace', '--database', 'keto', '--yes');
    expect(result.status).toBe(0);
    expect(leftover.events()[0]).toBe('dropped keto_restoring');
  });

  it('--drop-previous needs --yes, shows what it drops in a dry run, then drops the kept databases', () => {
    const w = world();
    expect(w.restore('--mode', 'replace', '--yes').status).toBe(0);
    const unconfirmed = w.restore('--drop-previous');
    expect(unconfirmed.status).toBe(2);
    expect(w.restore('--drop-previous', '--dry-run').stdout).toContain('DROP DATABASE IF EXISTS hydra_before_restore CASCADE;');
    const result = w.restore('--drop-previous', '--yes');
    expect(result.status).toBe(0);
    expect(Object.keys(w.cluster().dbs).sort()).toEqual(['hydra', 'keto', 'kratos']);
    expect(w.restore('--drop-previous', '--yes').stderr).toContain('nothing to drop');
  });

  it('a new cluster takes over an old cluster\'s data: replace from its collection', () => {
    const w = world();
    const result = w.restore('--mode', 'replace', '--from-cluster', OLD_CLUSTER, '--yes');
    expect(result.status).toBe(0);
    expect(w.events()[0]).toBe(`restored hydra as hydra_restoring from ${collection(OLD_CLUSTER)}/2026/02/01-000000.00`);
  });

  it('--dry-run prints the plan and changes nothing', () => {
    const w = world();
    const result = w.restore('--mode', 'replace', '--database', 'kratos', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`  RESTORE DATABASE kratos FROM '2026/03/02-000000.00' IN '${uri(CLUSTER)}' WITH new_db_name = 'kratos_restoring';`);
    expect(result.stdout).toContain('then swap: ALTER DATABASE kratos RENAME TO kratos_before_restore; ALTER DATABASE kratos_restoring RENAME TO kratos');
    expect(w.events()).toEqual([]);
  });
});

describe('point-in-time restore against stubs', { timeout: RESTORE_TIMEOUT }, () => {
  it('three days back: restores from the backup chain that covers the time, not the latest', () => {
    const w = world();
    const result = w.restore('--mode', 'replace', '--as-of', '2026-02-27 12:30:00+00', '--yes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(w.cluster().restores.map((r: any) => [r.path, r.asOf])).toEqual(SERVICES.map(() => ['2026/02/27-000000.00', '2026-02-27 12:30:00+00']));
  });

  it('between two chains: the next full backup, which CockroachDB restores only as far back as its revision history reaches', () => {
    const reached = world();
    expect(reached.restore('--database', 'hydra', '--as-of', '2026-02-27 21:00:00+00').status).toBe(0);
    expect(reached.cluster().restores[0].path).toBe('2026/02/28-000000.00');

    const tooEarly = world();
    const before = tooEarly.cluster().dbs;
    const result = tooEarly.restore('--mode', 'replace', '--as-of', '2026-02-27 19:00:00+00', '--yes');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('lies between two backup chains: restoring from the next one, 2026/02/28-000000.00');
    expect(result.stderr).toContain('invalid RESTORE timestamp: BACKUP for requested time only has revision history from');
    expect(tooEarly.cluster().dbs).toEqual(before);
  });

  it('refuses a time outside the backups, with what they cover in the message, before restoring anything', () => {
    const w = world();
    for (const asOf of ['2026-01-15 00:00:00+00', '2026-03-03 06:00:00+00']) {
      const result = w.restore('--mode', 'replace', '--as-of', asOf, '--yes');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is outside the backups: they cover 2026-02-22 00:00:00 UTC to 2026-03-02 18:00:00 UTC (8 stretches between');
    }
    expect(w.events()).toEqual([]);
    expect(w.calls().some((c) => c.includes('RESTORE'))).toBe(false);
  });

  it('--list shows each cluster\'s collection with the times a restore can reach', () => {
    const w = world();
    w.putObjects(BACKUP_BUCKET, [`clusters/${OLD_CLUSTER}/2026/02/01-000000.00/BACKUP_MANIFEST`, `clusters/${CLUSTER}/LATEST`]);
    const result = w.restore('--list');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`  ${OLD_CLUSTER}: 2026-02-01 00:00:00 UTC to 2026-02-01 18:00:00 UTC\n`);
    expect(result.stdout).toContain(`  ${CLUSTER} (this cluster): 2026-02-22 00:00:00 UTC to 2026-03-02 18:00:00 UTC (8 stretches between one backup chain's last time and the next full backup, the longest 6 h, only as far back as that full backup's revision history reaches)`);
  });
});

describe('restore side by side against stubs', { timeout: RESTORE_TIMEOUT }, () => {
  it('restores every Ory database next to the live one, owned and granted as the bootstrap does', () => {
    const w = world({}, true);
    const result = w.restore();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(w.events()).toEqual(SERVICES.map((s) => `restored ${s} as ${s}_restored from ${collection(CLUSTER)}/2026/03/02-000000.00`));
    for (const s of SERVICES) expectServiceAccess(w.cluster().dbs[`${s}_restored`], s);
    expect(result.stdout).toContain('then DROP DATABASE <db>_restored CASCADE');
  });

  it('refuses when an earlier side-by-side restore is still there', () => {
    const w = world();
    expect(w.restore('--database', 'hydra').status).toBe(0);
    const again = w.restore('--database', 'hydra');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('hydra_restored already exists (an earlier side-by-side restore): drop it first');
  });

  it('stops with CockroachDB\'s error when the collection has no backup', () => {
    const w = world();
    const result = w.restore('--database', 'hydra', '--from-cluster', '11111111-2222-4333-8444-555555555555');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no backups found');
  });
});

describe('restore into a multi-region cluster that lost its primary region, from the replica bucket', { timeout: RESTORE_TIMEOUT }, () => {
  // Nodes 1-3 (the stack's) in us-east-2, three more in us-west-2, us-east-1's down; the backups
  // are those S3 replicated into the secondary region's bucket; hydra's backup has three regions.
  const REPLICA_BUCKET = 'crdb-ory-backups-123456789012-us-east-2';
  const replicaCollection = `s3://${REPLICA_BUCKET}/clusters/${CLUSTER}`;
  const hydraRegions = { primaryRegion: 'us-east-1', secondaryRegion: 'us-east-2', regions: ['us-east-1', 'us-east-2', 'us-west-2'], survivalGoal: 'region' };
  const lostPrimary = (): RollWorld => {
    const node = (n: number, region: string, live: boolean) => [n, { binary: 'v25.4.0', address: `10.${n}.0.10:26257`, locality: `region=${region},zone=${region}a`, status: live ? 'running' : 'crashed', live, draining: false }];
    const w = world({
      nodes: Object.fromEntries([node(1, 'us-east-2', true), node(2, 'us-east-2', true), node(3, 'us-east-2', true), node(4, 'us-west-2', true), node(5, 'us-east-1', false)]),
      backups: { [replicaCollection]: dailyChains(1, { hydra: { objects: OBJECTS['hydra'], regions: hydraRegions } }) },
    });
    return w;
  };
  const fromReplica = ['--database', 'hydra', '--from-bucket', REPLICA_BUCKET, '--bucket-region', 'us-east-2'];

  it('stops with CockroachDB\'s region mismatch and says what to do; with --skip-localities-check restores from the replica, keeping the backup\'s regions', () => {
    const w = lostPrimary();
    const refused = w.restore(...fromReplica);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('detected a mismatch in regions between the restore cluster and the backup cluster, missing regions detected: us-east-1.');
    expect(refused.stderr).toContain('restore with --skip-localities-check');
    expect(w.cluster().dbs['hydra_restored']).toBeUndefined();

    const result = w.restore(...fromReplica, '--skip-localities-check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`IN '${replicaCollection}?AUTH=implicit&AWS_REGION=us-east-2' WITH new_db_name = 'hydra_restored', skip_localities_check`);
    expect(w.events()).toEqual([`restored hydra as hydra_restored from ${replicaCollection}/2026/02/01-000000.00`]);
    expect(w.cluster().restores).toEqual([expect.objectContaining({ collection: replicaCollection, skipLocalitiesCheck: true })]);
    expectServiceAccess(w.cluster().dbs['hydra_restored'], 'hydra');
    expect(w.cluster().dbs['hydra_restored'].regions).toEqual(hydraRegions);
  });
});

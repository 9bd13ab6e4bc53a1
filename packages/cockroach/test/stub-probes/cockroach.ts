import { assert, expect } from 'vitest';
import type { StubSandbox } from '../stub-sandbox';
import { Probe, StubDatabaseRegions, cluster, csv, regionCluster, rootCerts, sql } from './support';

const COLLECTION = 's3://crdb-ory-backups-123456789012-us-east-1/clusters/6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f';
const URI = `${COLLECTION}?AUTH=implicit&AWS_REGION=us-east-1`;
const HYDRA_OBJECTS = { networks: { kind: 'table', rows: 1 }, hydra_client: { kind: 'table', rows: 5 }, hydra_client_pk_seq: { kind: 'sequence' } };
/** One backup chain: a full backup at 00:00 of `day` and incrementals at 01:00 and 02:00, with revision history from 20:00 the day before. */
const chain = (day: string, extra: Record<string, unknown> = {}) => ({
  path: `2026/03/${day}-000000.00`,
  revisionHistory: true,
  layers: [
    { type: 'full', start: null, end: `2026-03-${day}T00:00:00Z`, revisionStart: `2026-03-${String(Number(day) - 1).padStart(2, '0')}T20:00:00Z` },
    { type: 'incremental', start: `2026-03-${day}T00:00:00Z`, end: `2026-03-${day}T01:00:00Z` },
    { type: 'incremental', start: `2026-03-${day}T01:00:00Z`, end: `2026-03-${day}T02:00:00Z` },
  ],
  databases: { hydra: { objects: HYDRA_OBJECTS } },
  ...extra,
});
const backups = (...chains: unknown[]) => ({ backups: { [COLLECTION]: chains } });
/** A database as bootstrap and the migrations leave it: hydra owns its objects. */
const liveHydra = () => ({
  hydra: {
    grants: { admin: ['ALL'], public: ['CONNECT'], root: ['ALL'], hydra: ['ALL'], verifier: ['CONNECT'] },
    schema: { grants: { admin: ['ALL'], public: ['CREATE', 'USAGE'], root: ['ALL'] } },
    defaultPrivileges: ['tables of hydra -> SELECT for verifier'],
    objects: { networks: { kind: 'table', owner: 'hydra', grants: { verifier: ['SELECT'] }, rows: 1 }, hydra_client_pk_seq: { kind: 'sequence', owner: 'hydra', grants: {} } },
  },
});
const USERS = { users: ['hydra', 'verifier'] };
const CATALOG_QUERY = (reader: string) =>
  `SELECT c.relname AS name, c.relkind::TEXT AS kind, pg_get_userbyid(c.relowner) AS owner, has_table_privilege('${reader}', c.oid, 'SELECT') AS reader_select FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S') UNION ALL SELECT t.typname, 'e', pg_get_userbyid(t.typowner), true FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e' ORDER BY name`;
const PRIVILEGE_QUERY = (owner: string, reader: string) =>
  `SELECT has_database_privilege('${owner}', current_database(), 'CREATE') AS owner_create, has_database_privilege('${reader}', current_database(), 'CONNECT') AS reader_connect, has_schema_privilege('${owner}', 'public', 'CREATE') AS owner_schema_create, has_schema_privilege('${owner}', 'public', 'USAGE') AS owner_schema_usage`;
const ok = (run: { status: number; stderr: string }) => expect(run.stderr).toBe('') as unknown as void;
const fails = (run: { status: number; stderr: string }, message: string | RegExp) => {
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(message);
};
const cockroach = (s: StubSandbox, args: string[], node = 1) => s.run('cockroach', args, { env: { STUB_NODE: String(node) } });
const client = (s: StubSandbox) => [`--certs-dir=${rootCerts(s)}`, '--host=localhost:26257'];

const EAST = 'us-east-1';
const EAST2 = 'us-east-2';
const WEST = 'us-west-2';
const mr = (primaryRegion: string, regions: string[], extra: Partial<StubDatabaseRegions> = {}): StubDatabaseRegions => ({ primaryRegion, secondaryRegion: null, regions, survivalGoal: 'zone', ...extra });
const regionsOf = (s: StubSandbox, db: string) => s.readJson('cluster.json').dbs[db].regions;

export const COCKROACH_PROBES: Record<string, Probe> = {
  'cli.certs-dir': (s) => {
    cluster(s);
    fails(s.run('cockroach', ['sql', `--certs-dir=${s.dir}/nowhere`, '--host=localhost:26257', '-e', 'SHOW CLUSTER SETTING version']), /no ca.crt in --certs-dir/);
  },
  'cli.connection-refused': (s) => {
    cluster(s);
    s.write('cockroach-unavailable', '1');
    fails(sql(s, ['SHOW CLUSTER SETTING version']), /connect: connection refused/);
    ok(sql(s, ['SHOW CLUSTER SETTING version']));
  },
  'cli.init': (s) => {
    const run = cockroach(s, ['init', ...client(s)]);
    ok(run);
    expect(s.readJson('cluster.json').initialized).toBe(true);
  },
  'cli.init-already-initialized': (s) => {
    cluster(s);
    fails(cockroach(s, ['init', ...client(s)]), 'cluster has already been initialized');
  },
  'cli.node-decommission': (s) => {
    regionCluster(s, [EAST, EAST2, WEST], {});
    const status = () => Object.fromEntries(Object.entries(s.readJson('cluster.json').nodes as Record<string, Record<string, unknown>>).map(([id, n]) => [id, [n.membership ?? 'active', n.replicas ?? null, n.live]]));
    const started = cockroach(s, ['node', 'decommission', '7', '8', '9', '--wait=none', ...client(s)]);
    expect(started.status).toBe(0);
    expect(started.stderr).toBe('id,is_live,replicas,is_decommissioning,membership,is_draining\n7,true,20,true,decommissioning,false\n8,true,20,true,decommissioning,false\n9,true,20,true,decommissioning,false\n');
    expect(status()['7']).toEqual(['decommissioning', 20, true]);
    expect(status()['1']).toEqual(['active', null, true]);
    const finished = cockroach(s, ['node', 'decommission', '7', '8', '9', ...client(s)]);
    expect(finished.status).toBe(0);
    expect(finished.stderr).toMatch(/^id,is_live,replicas,is_decommissioning,membership,is_draining\n7,false,0,true,decommissioned,true\n[^]*\nNo more data reported on target nodes\. Please verify cluster health before removing the nodes\.\n$/);
    expect(status()['9']).toEqual(['decommissioned', 0, false]);
  },
  'cli.node-decommission-checks': (s) => {
    regionCluster(s, [EAST, WEST], {});
    const before = s.readJson('cluster.json');
    // Three nodes would stay: the checks pass (--dry-run changes nothing).
    ok(cockroach(s, ['node', 'decommission', '4', '5', '6', '--dry-run', ...client(s)]));
    // Two would stay: the replicas cannot move.
    const blocked = cockroach(s, ['node', 'decommission', '2', '4', '5', '6', '--wait=none', ...client(s)]);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toMatch(/^ranges blocking decommission detected\nn2 has 20 replicas blocked with error: "0 of 2 live stores [^\n]*likely not enough nodes in cluster"\n[^]*ERROR: Cannot decommission nodes\.\nFailed running "node decommission"\n$/);
    expect(s.readJson('cluster.json')).toEqual(before);
  },
  'cli.node-drain': (s) => {
    cluster(s, { sessions: [{ user: 'hydra', node: 2 }] });
    ok(cockroach(s, ['node', 'drain', '--self', ...client(s), '--drain-wait=60s'], 2));
    expect(s.readJson('cluster.json').nodes['2'].draining).toBe(true);
    expect(s.readJson('cluster.json').sessions).toEqual([]);
    expect(cockroach(s, ['__health'], 2).stdout).toBe('503');
  },
  'cli.node-drain-timeout': (s) => {
    cluster(s, { settings: { 'server.shutdown.initial_wait': '30s', 'server.shutdown.connections.timeout': '330s' }, sessions: [{ user: 'hydra', node: 1 }] });
    fails(cockroach(s, ['node', 'drain', '--self', ...client(s), '--drain-wait=300s']), /drain timeout/);
    ok(cockroach(s, ['node', 'drain', '--self', ...client(s), '--drain-wait=360s']));
  },
  'cli.node-status-decommission': (s) => {
    regionCluster(s, [EAST], {});
    const state = s.readJson('cluster.json');
    Object.assign(state.nodes['3'], { membership: 'decommissioned', live: false, status: 'stopped', draining: true, replicas: 0 });
    s.writeJson('cluster.json', state);
    expect(csv(cockroach(s, ['node', 'status', '--decommission', '--format=csv', ...client(s)]))).toEqual([
      'id,address,sql_address,build,started_at,updated_at,locality,is_available,is_live,gossiped_replicas,is_decommissioning,membership,is_draining',
      `1,10.10.0.10:26257,10.10.0.10:26257,v25.4.0,2026-01-01 00:00:00,2026-01-01 00:00:10,"region=${EAST},zone=${EAST}a",true,true,20,false,active,false`,
      `2,10.10.1.10:26257,10.10.1.10:26257,v25.4.0,2026-01-01 00:00:00,2026-01-01 00:00:10,"region=${EAST},zone=${EAST}b",true,true,20,false,active,false`,
      `3,10.10.2.10:26257,10.10.2.10:26257,v25.4.0,2026-01-01 00:00:00,2026-01-01 00:00:10,"region=${EAST},zone=${EAST}c",false,false,0,true,decommissioned,true`,
    ]);
    fails(cockroach(s, ['node', 'status', '--format=csv', ...client(s)]), 'stub models only');
  },
  'cli.sql-before-init': (s) => {
    s.writeJson('cluster.json', { initialized: false });
    fails(sql(s, ['SHOW CLUSTER SETTING version']), 'waiting for cluster initialization');
  },
  'cli.start-binary-compatibility': (s) => {
    cluster(s);
    const state = s.readJson('cluster.json');
    state.nodes['1'].binary = 'v26.2.0';
    state.nodes['2'].binary = 'v25.2.0';
    s.writeJson('cluster.json', state);
    cockroach(s, ['__restart'], 1);
    cockroach(s, ['__restart'], 2);
    expect([s.readJson('cluster.json').nodes['1'].status, s.readJson('cluster.json').nodes['2'].status]).toEqual(['starting', 'crashed']);
  },
  'cli.version-build-tag': (s) => {
    cluster(s);
    expect(cockroach(s, ['version', '--build-tag']).stdout).toBe('v25.4.0\n');
  },
  'cluster.auto-finalization': (s) => {
    cluster(s);
    const state = s.readJson('cluster.json');
    for (const n of ['1', '2', '3']) state.nodes[n].binary = 'v26.2.0';
    s.writeJson('cluster.json', state);
    ok(sql(s, ['RESET CLUSTER SETTING cluster.preserve_downgrade_option']));
    expect(s.readJson('cluster.json').clusterVersion).toBe('26.2');
  },
  'cluster.decommission-moves-replicas': (s) => {
    regionCluster(s, [EAST, WEST], {});
    const state = s.readJson('cluster.json');
    for (const id of ['4', '5']) Object.assign(state.nodes[id], { membership: 'decommissioning', replicas: 25 });
    Object.assign(state, { replicasMovedPerPoll: 10 });
    s.writeJson('cluster.json', state);
    const replicas = () => csv(cockroach(s, ['node', 'status', '--decommission', '--format=csv', ...client(s)])).slice(4, 6).map((row) => row.split(',')[10]);
    expect(replicas()).toEqual(['15', '15']);
    expect(replicas()).toEqual(['5', '5']);
    expect(replicas()).toEqual(['0', '0']);
    const stalled = s.readJson('cluster.json');
    Object.assign(stalled.nodes['6'], { membership: 'decommissioning', replicas: 25 });
    s.writeJson('cluster.json', { ...stalled, decommissionStalls: true });
    expect(replicas()).toEqual(['0', '0']);
    expect(s.readJson('cluster.json').nodes['6'].replicas).toBe(25);
  },
  'cluster.restarted-node-rejoins': (s) => {
    cluster(s);
    cockroach(s, ['__restart'], 3);
    expect(cockroach(s, ['__health'], 3).stdout).toBe('200');
    expect(csv(sql(s, ["SELECT coalesce(sum((metrics->>'ranges.underreplicated')::INT8), 0), coalesce(sum((metrics->>'ranges.unavailable')::INT8), 0) FROM crdb_internal.kv_store_status"]))[1]).toBe('2,0');
  },
  'http.health-ready': (s) => {
    cluster(s);
    expect(cockroach(s, ['__health'], 1).stdout).toBe('200');
    const state = s.readJson('cluster.json');
    state.nodes['2'].status = 'stopped';
    s.writeJson('cluster.json', state);
    expect(cockroach(s, ['__health'], 2).stdout).toBe('000');
  },
  'http.status-vars-backup-schedules': (s) => {
    cluster(s, { backupMetrics: { 2: { failed: 3, lastCompletedTime: 1749600000 } } });
    expect(cockroach(s, ['__vars'], 1).stdout).toContain('schedules_BACKUP_failed{node_id="1"} 0\n');
    const vars = cockroach(s, ['__vars'], 2).stdout;
    expect(vars).toContain('# TYPE schedules_BACKUP_failed counter\nschedules_BACKUP_failed{node_id="2"} 3\n');
    expect(vars).toContain('# TYPE schedules_BACKUP_last_completed_time gauge\nschedules_BACKUP_last_completed_time{node_id="2"} 1.7496e+09\n');
  },
  'jobs.scheduled-backup-fails': (s) => {
    cluster(s, { schedules: [{ id: '1001', label: 'l', backupType: 'FULL', uri: URI, updatesLastBackupMetric: true }] });
    expect(cockroach(s, ['__run-backup-schedule', 'fails', '1749600000'], 2).status).toBe(0);
    const [keys] = Object.values<string[]>(s.readJson('s3.json'));
    assert.exists(keys, 'a bucket in s3.json');
    expect(keys.some((k) => /\/2025\/06\/11-000000\.00\/BACKUP-LOCK-\d+$/.test(k))).toBe(true);
    expect(keys.some((k) => k.endsWith('/progress/BACKUP-CHECKPOINT-1749600000'))).toBe(true);
    expect(keys.some((k) => k.endsWith('BACKUP_METADATA'))).toBe(false);
    expect(s.readJson('cluster.json').backupMetrics).toEqual({ 2: { failed: 1, lastCompletedTime: 0 } });
  },
  'jobs.scheduled-backup-succeeds': (s) => {
    const schedule = { id: '1001', label: 'l', backupType: 'FULL', uri: URI };
    cluster(s, { schedules: [{ ...schedule, updatesLastBackupMetric: false }] });
    expect(cockroach(s, ['__run-backup-schedule', 'succeeds', '1749600000'], 1).status).toBe(0);
    expect(s.readJson('cluster.json').backupMetrics['1']).toEqual({ failed: 0, lastCompletedTime: 0 });
    cluster(s, { schedules: [{ ...schedule, updatesLastBackupMetric: true }] });
    expect(cockroach(s, ['__run-backup-schedule', 'succeeds', '1749600000'], 1).status).toBe(0);
    expect(s.readJson('cluster.json').backupMetrics['1']).toEqual({ failed: 0, lastCompletedTime: 1749600000 });
    const [bucketKeys] = Object.values<string[]>(s.readJson('s3.json'));
    assert.exists(bucketKeys, 'a bucket in s3.json');
    expect(bucketKeys.some((k) => k.endsWith('/BACKUP_METADATA'))).toBe(true);
  },
  'sql.alter-backup-schedule': (s) => {
    cluster(s, { schedules: [{ id: '1001', label: 'l', backupType: 'FULL' }, { id: '1002', label: 'l', backupType: 'INCREMENTAL' }] });
    ok(sql(s, ["ALTER BACKUP SCHEDULE 1001 SET RECURRING '@hourly', SET FULL BACKUP '@weekly', SET WITH revision_history = 'false'"]));
    expect(s.readJson('cluster.json').schedules.map((x: any) => [x.recurrence, x.revisionHistory, x.updatesLastBackupMetric])).toEqual([['@weekly', 'false', undefined], ['@hourly', 'false', undefined]]);
    ok(sql(s, ["ALTER BACKUP SCHEDULE 1002 SET RECURRING '@hourly', SET FULL BACKUP '@weekly', SET WITH revision_history = 'false', SET SCHEDULE OPTION updates_cluster_last_backup_time_metric"]));
    expect(s.readJson('cluster.json').schedules.map((x: any) => x.updatesLastBackupMetric)).toEqual([true, true]);
  },
  'sql.alter-database-add-region': (s) => {
    regionCluster(s, [EAST, EAST2], { hydra: null, kratos: mr(EAST, [EAST]) }, [WEST]);
    fails(sql(s, [`ALTER DATABASE hydra ADD REGION "${EAST2}"`]), 'you must add a PRIMARY REGION first');
    fails(sql(s, [`ALTER DATABASE kratos ADD REGION IF NOT EXISTS "${WEST}"`]), `region "${WEST}" does not exist`);
    ok(sql(s, [`ALTER DATABASE kratos ADD REGION "${EAST2}"`, `ALTER DATABASE kratos ADD REGION IF NOT EXISTS "${EAST2}"`]));
    expect(regionsOf(s, 'kratos').regions).toEqual([EAST, EAST2]);
    fails(sql(s, [`ALTER DATABASE kratos ADD REGION "${EAST2}"`]), 'already added to database');
  },
  'sql.alter-database-drop-region': (s) => {
    regionCluster(s, [EAST, EAST2, WEST], {
      hydra: mr(EAST, [EAST, EAST2, WEST], { secondaryRegion: EAST2, survivalGoal: 'region' }),
      kratos: mr(EAST, [EAST, EAST2, WEST], { secondaryRegion: EAST2 }),
      keto: null,
    });
    fails(sql(s, [`ALTER DATABASE hydra DROP REGION IF EXISTS "${WEST}"`]), 'at least 3 regions are required for surviving a region failure');
    fails(sql(s, [`ALTER DATABASE hydra DROP REGION IF EXISTS "eu-west-1"`]), 'at least 3 regions are required for surviving a region failure');
    fails(sql(s, [`ALTER DATABASE kratos DROP REGION "${EAST2}"`]), `cannot drop region "${EAST2}"`);
    fails(sql(s, [`ALTER DATABASE kratos DROP REGION "${EAST}"`]), 'You must designate another region as the primary region');
    ok(sql(s, [`ALTER DATABASE kratos DROP REGION "${WEST}"`, `ALTER DATABASE kratos DROP REGION IF EXISTS "${WEST}"`, 'ALTER DATABASE keto DROP REGION IF EXISTS "us-east-1"']));
    expect(regionsOf(s, 'kratos').regions).toEqual([EAST, EAST2]);
    fails(sql(s, [`ALTER DATABASE kratos DROP REGION "${WEST}"`]), 'has not been added to the database');
    ok(sql(s, ['ALTER DATABASE kratos DROP SECONDARY REGION', `ALTER DATABASE kratos DROP REGION "${EAST2}"`, `ALTER DATABASE kratos DROP REGION "${EAST}"`]));
    expect(regionsOf(s, 'kratos')).toEqual({ primaryRegion: null, secondaryRegion: null, regions: [], survivalGoal: null });
  },
  'sql.alter-database-drop-secondary-region': (s) => {
    regionCluster(s, [EAST, EAST2], { hydra: mr(EAST, [EAST, EAST2], { secondaryRegion: EAST2 }), keto: null });
    ok(sql(s, ['ALTER DATABASE hydra DROP SECONDARY REGION', 'ALTER DATABASE hydra DROP SECONDARY REGION IF EXISTS']));
    expect(regionsOf(s, 'hydra')).toEqual(mr(EAST, [EAST, EAST2]));
    fails(sql(s, ['ALTER DATABASE hydra DROP SECONDARY REGION']), "doesn't have a secondary region defined");
    fails(sql(s, ['ALTER DATABASE keto DROP SECONDARY REGION IF EXISTS']), 'database must be multi-region to support a secondary region');
  },
  'sql.alter-database-set-primary-region': (s) => {
    regionCluster(s, [EAST, EAST2], { hydra: null, kratos: mr(EAST, [EAST, EAST2], { secondaryRegion: EAST2 }) }, [WEST]);
    fails(sql(s, [`ALTER DATABASE hydra SET PRIMARY REGION "${WEST}"`]), `region "${WEST}" does not exist`);
    ok(sql(s, [`ALTER DATABASE hydra SET PRIMARY REGION "${EAST}"`]));
    expect(regionsOf(s, 'hydra')).toEqual(mr(EAST, [EAST]));
    fails(sql(s, [`ALTER DATABASE hydra SET PRIMARY REGION "${EAST2}"`]), 'has not been added to the database');
    fails(sql(s, [`ALTER DATABASE kratos SET PRIMARY REGION "${EAST2}"`]), 'is currently the secondary region');
    ok(sql(s, ['ALTER DATABASE kratos DROP SECONDARY REGION', `ALTER DATABASE kratos SET PRIMARY REGION "${EAST2}"`]));
    expect(regionsOf(s, 'kratos').primaryRegion).toBe(EAST2);
  },
  'sql.alter-database-set-secondary-region': (s) => {
    regionCluster(s, [EAST, EAST2, WEST], { hydra: mr(EAST, [EAST, EAST2]), keto: null });
    fails(sql(s, [`ALTER DATABASE keto SET SECONDARY REGION "${EAST2}"`]), 'database must be multi-region to support a secondary region');
    fails(sql(s, [`ALTER DATABASE hydra SET SECONDARY REGION "${WEST}"`]), 'has not been added to the database');
    fails(sql(s, [`ALTER DATABASE hydra SET SECONDARY REGION "${EAST}"`]), 'the secondary region cannot be the same as the current primary region');
    ok(sql(s, [`ALTER DATABASE hydra SET SECONDARY REGION "${EAST2}"`, `ALTER DATABASE hydra SET SECONDARY REGION "${EAST2}"`]));
    expect(regionsOf(s, 'hydra').secondaryRegion).toBe(EAST2);
  },
  'sql.alter-database-survive': (s) => {
    regionCluster(s, [EAST, EAST2, WEST], { hydra: mr(EAST, [EAST, EAST2]), keto: null });
    fails(sql(s, ['ALTER DATABASE keto SURVIVE ZONE FAILURE']), 'database must have associated regions before a survival goal can be set');
    fails(sql(s, ['ALTER DATABASE hydra SURVIVE REGION FAILURE']), 'at least 3 regions are required for surviving a region failure');
    ok(sql(s, [`ALTER DATABASE hydra ADD REGION "${WEST}"`, 'ALTER DATABASE hydra SURVIVE REGION FAILURE']));
    expect(regionsOf(s, 'hydra').survivalGoal).toBe('region');
    ok(sql(s, ['ALTER DATABASE hydra SURVIVE ZONE FAILURE']));
    expect(regionsOf(s, 'hydra').survivalGoal).toBe('zone');
  },
  'sql.alter-default-privileges': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    ok(sql(s, ['ALTER DEFAULT PRIVILEGES FOR ROLE hydra IN SCHEMA public GRANT SELECT ON TABLES TO verifier'], { database: 'hydra' }));
    expect(s.readJson('cluster.json').dbs.hydra.defaultPrivileges).toEqual(['tables of hydra -> SELECT for verifier']);
  },
  'sql.alter-owner': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    ok(sql(s, ['ALTER TABLE public."networks" OWNER TO verifier', 'ALTER SEQUENCE public."hydra_client_pk_seq" OWNER TO verifier'], { database: 'hydra' }));
    expect(Object.values(s.readJson('cluster.json').dbs.hydra.objects).map((o: any) => o.owner)).toEqual(['verifier', 'verifier']);
    fails(sql(s, ['ALTER SEQUENCE public."networks" OWNER TO hydra'], { database: 'hydra' }), /not a sequence/);
  },
  'sql.catalog-objects': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    expect(csv(sql(s, [CATALOG_QUERY('verifier')], { database: 'hydra' }))).toEqual(['name,kind,owner,reader_select', 'hydra_client_pk_seq,S,hydra,f', 'networks,r,hydra,t']);
  },
  'sql.cluster-id': (s) => {
    cluster(s);
    expect(csv(sql(s, ['SELECT crdb_internal.cluster_id() AS cluster_id']))).toEqual(['cluster_id', '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f']);
  },
  'sql.cluster-sessions': (s) => {
    cluster(s, { sessions: [{ user: 'hydra', node: 1 }, { user: 'hydra', node: 2 }, { user: 'root', node: 1 }] });
    expect(csv(sql(s, ["SELECT user_name, count(*) AS sessions FROM crdb_internal.cluster_sessions WHERE user_name IN ('hydra', 'kratos') GROUP BY user_name ORDER BY user_name"]))).toEqual(['user_name,sessions', 'hydra,2']);
  },
  'sql.create-database-if-not-exists': (s) => {
    cluster(s);
    ok(sql(s, ['CREATE DATABASE IF NOT EXISTS hydra', 'CREATE DATABASE IF NOT EXISTS hydra']));
    expect(s.readJson('cluster.json').dbs.hydra).toEqual({ grants: { admin: ['ALL'], public: ['CONNECT'], root: ['ALL'] }, schema: { grants: { admin: ['ALL'], public: ['CREATE', 'USAGE'], root: ['ALL'] } }, defaultPrivileges: [], objects: {} });
  },
  'sql.create-schedule-for-backup': (s) => {
    cluster(s);
    const create = `CREATE SCHEDULE IF NOT EXISTS l FOR BACKUP INTO '${URI}' WITH revision_history = true RECURRING '@hourly' FULL BACKUP '@daily' WITH SCHEDULE OPTIONS first_run = 'now', on_execution_failure = 'reschedule', on_previous_running = 'wait'`;
    ok(sql(s, [create, create]));
    expect(s.readJson('cluster.json').schedules.map((x: any) => [x.backupType, x.updatesLastBackupMetric])).toEqual([['FULL', false], ['INCREMENTAL', false]]);
    cluster(s);
    ok(sql(s, [`${create}, updates_cluster_last_backup_time_metric`]));
    expect(s.readJson('cluster.json').schedules.map((x: any) => x.updatesLastBackupMetric)).toEqual([true, true]);
  },
  'sql.create-user-if-not-exists': (s) => {
    cluster(s);
    ok(sql(s, ['CREATE USER IF NOT EXISTS hydra', 'CREATE USER IF NOT EXISTS hydra']));
    expect(s.readJson('cluster.json').users).toEqual(['hydra']);
  },
  'sql.drop-database': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    ok(sql(s, ['DROP DATABASE IF EXISTS hydra CASCADE', 'DROP DATABASE IF EXISTS hydra CASCADE']));
    expect(s.readJson('cluster.json').dbs).toEqual({});
  },
  'sql.gossip-nodes': (s) => {
    // Node 3 was decommissioned: gossip_liveness keeps it (membership decommissioned), the query leaves it out.
    cluster(s);
    const state = s.readJson('cluster.json');
    state.nodes['3'] = { ...state.nodes['3'], status: 'stopped', live: false, membership: 'decommissioned' };
    s.writeJson('cluster.json', state);
    expect(csv(sql(s, ["SELECT n.node_id, n.address, n.build_tag, n.is_live, l.draining FROM crdb_internal.gossip_nodes AS n JOIN crdb_internal.gossip_liveness AS l USING (node_id) WHERE l.membership != 'decommissioned' ORDER BY n.node_id"]))).toEqual(['node_id,address,build_tag,is_live,draining', '1,10.10.10.10:26257,v25.4.0,t,f', '2,10.10.11.10:26257,v25.4.0,t,f']);
  },
  'sql.grant-on-database': (s) => {
    cluster(s, { ...USERS, dbs: { hydra: { ...liveHydra().hydra, grants: {} } } });
    ok(sql(s, ['GRANT ALL ON DATABASE hydra TO hydra', 'GRANT CONNECT ON DATABASE hydra TO verifier']));
    expect(s.readJson('cluster.json').dbs.hydra.grants).toEqual({ hydra: ['ALL'], verifier: ['CONNECT'] });
    fails(sql(s, ['GRANT ALL ON DATABASE hydra TO nobody']), 'role/user "nobody" does not exist');
    fails(sql(s, ['GRANT ALL ON DATABASE nothere TO hydra']), 'database "nothere" does not exist');
  },
  'sql.grant-on-schema': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    ok(sql(s, ['GRANT CREATE, USAGE ON SCHEMA public TO hydra'], { database: 'hydra' }));
    expect(s.readJson('cluster.json').dbs.hydra.schema.grants.hydra).toEqual(['CREATE', 'USAGE']);
  },
  'sql.grant-select-on-all-tables': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    ok(sql(s, ['USE hydra', 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO hydra']));
    const objects = s.readJson('cluster.json').dbs.hydra.objects;
    expect([objects.networks.grants.hydra, objects.hydra_client_pk_seq.grants.hydra]).toEqual([['SELECT'], undefined]);
  },
  'sql.grant-system': (s) => {
    cluster(s, USERS);
    ok(sql(s, ['GRANT SYSTEM VIEWJOB TO verifier']));
    expect(s.readJson('cluster.json').systemGrants).toEqual(['VIEWJOB TO verifier']);
  },
  'sql.has-privilege': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    expect(csv(sql(s, [PRIVILEGE_QUERY('hydra', 'verifier')], { database: 'hydra' }))[1]).toBe('t,t,t,t');
    const state = s.readJson('cluster.json');
    state.dbs.hydra.grants = { admin: ['ALL'], public: ['CONNECT'], root: ['ALL'] };
    state.dbs.hydra.schema.grants = { admin: ['ALL'], root: ['ALL'] };
    s.writeJson('cluster.json', state);
    expect(csv(sql(s, [PRIVILEGE_QUERY('hydra', 'verifier')], { database: 'hydra' }))[1]).toBe('f,t,f,f');
  },
  'sql.preserve-downgrade-option': (s) => {
    cluster(s);
    fails(sql(s, ["SET CLUSTER SETTING cluster.preserve_downgrade_option = '25.2'"]), /cannot set cluster.preserve_downgrade_option/);
    ok(sql(s, ["SET CLUSTER SETTING cluster.preserve_downgrade_option = '25.4'"]));
  },
  'sql.rename-database': (s) => {
    cluster(s, { ...USERS, dbs: { ...liveHydra(), hydra_restoring: liveHydra().hydra } });
    fails(sql(s, ['ALTER DATABASE hydra_restoring RENAME TO hydra']), 'already exists');
    fails(sql(s, ['ALTER DATABASE hydra RENAME TO hydra_old'], { database: 'hydra' }), 'it is the current database');
    ok(sql(s, ['ALTER DATABASE hydra RENAME TO hydra_old', 'ALTER DATABASE hydra_restoring RENAME TO hydra']));
    expect(Object.keys(s.readJson('cluster.json').dbs).sort()).toEqual(['hydra', 'hydra_old']);
  },
  'sql.reset-preserve-downgrade-option': (s) => {
    cluster(s, { settings: { 'cluster.preserve_downgrade_option': '25.4' } });
    ok(sql(s, ['RESET CLUSTER SETTING cluster.preserve_downgrade_option']));
    expect(s.readJson('cluster.json').settings).toEqual({});
  },
  'sql.restore-as-of-system-time': (s) => {
    cluster(s, { ...USERS, ...backups(chain('02'), chain('03', { revisionHistory: false })) });
    let restored = 0;
    const restore = (path: string, at: string) => sql(s, [`RESTORE DATABASE hydra FROM '${path}' IN '${URI}' AS OF SYSTEM TIME '${at}' WITH new_db_name = 'hydra_${++restored}'`]);
    ok(restore('2026/03/02-000000.00', '2026-03-02 01:30:00+00'));
    ok(restore('2026/03/02-000000.00', '2026-03-01 22:00:00+00'));
    fails(restore('2026/03/02-000000.00', '2026-03-01 19:00:00+00'), 'BACKUP for requested time only has revision history from');
    fails(restore('2026/03/02-000000.00', '2026-03-02 03:00:00+00'), 'supplied backups do not cover requested time');
    fails(restore('2026/03/03-000000.00', '2026-03-03 00:30:00+00'), "requires that BACKUP for requested time be created with 'revision_history' option");
    ok(restore('2026/03/03-000000.00', '2026-03-03 01:00:00+00'));
  },
  'sql.restore-database': (s) => {
    cluster(s, { ...USERS, ...backups(chain('01'), chain('02')) });
    ok(sql(s, [`RESTORE DATABASE hydra FROM LATEST IN '${URI}' WITH new_db_name = 'hydra_restoring'`]));
    const db = s.readJson('cluster.json').dbs.hydra_restoring;
    expect(db.grants).toEqual({ admin: ['ALL'], public: ['CONNECT'], root: ['ALL'] });
    expect(db.defaultPrivileges).toEqual([]);
    expect(Object.values(db.objects).map((o: any) => [o.owner, o.grants])).toEqual([['root', {}], ['root', {}], ['root', {}]]);
    expect(s.readJson('cluster.json').restores[0].path).toBe('2026/03/02-000000.00');
    ok(sql(s, [`RESTORE DATABASE hydra FROM '2026/03/01-000000.00' IN '${URI}'`]));
    expect(s.readJson('cluster.json').dbs.hydra).toBeDefined();
  },
  'sql.restore-job-fails': (s) => {
    cluster(s, { ...USERS, ...backups(chain('01')), restoreFails: { hydra: 'importing 12 ranges: context canceled' } });
    fails(sql(s, [`RESTORE DATABASE hydra FROM LATEST IN '${URI}' WITH new_db_name = 'hydra_restoring'`]), /job \d+ failed: importing/);
    expect(s.readJson('cluster.json').dbs).toEqual({});
  },
  'sql.restore-localities-check': (s) => {
    // The backup of a three-region database; us-east-1 has no live node (a lost region).
    const hydra = { objects: HYDRA_OBJECTS, regions: mr(EAST, [EAST, EAST2, WEST], { secondaryRegion: EAST2, survivalGoal: 'region' }) };
    regionCluster(s, [EAST2, WEST], {}, [EAST]);
    const c = s.readJson('cluster.json');
    s.writeJson('cluster.json', { ...c, ...USERS, ...backups(chain('01', { databases: { hydra } })) });
    fails(
      sql(s, [`RESTORE DATABASE hydra FROM LATEST IN '${URI}' WITH new_db_name = 'hydra_restored'`]),
      /detected a mismatch in regions between the restore cluster and the backup cluster, missing regions detected: us-east-1\.\nHINT: .*2\) restore with the "skip_localities_check" option/,
    );
    expect(s.readJson('cluster.json').dbs.hydra_restored).toBeUndefined();
    ok(sql(s, [`RESTORE DATABASE hydra FROM LATEST IN '${URI}' WITH new_db_name = 'hydra_restored', skip_localities_check`]));
    expect(regionsOf(s, 'hydra_restored')).toEqual(hydra.regions);
    expect(s.readJson('cluster.json').restores[0]).toMatchObject({ newName: 'hydra_restored', skipLocalitiesCheck: true });
  },
  'sql.restore-new-db-name-single': (s) => {
    cluster(s, { ...USERS, ...backups(chain('01')) });
    fails(sql(s, [`RESTORE DATABASE hydra, keto FROM LATEST IN '${URI}' WITH new_db_name = 'x'`]), 'new_db_name can only be used for RESTORE DATABASE with a single target database');
  },
  'sql.restore-target-exists': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra(), ...backups(chain('01')) });
    fails(sql(s, [`RESTORE DATABASE hydra FROM LATEST IN '${URI}'`]), 'database "hydra" already exists');
  },
  'sql.set-license': (s) => {
    cluster(s);
    ok(sql(s, ["SET CLUSTER SETTING enterprise.license = 'crl-0-abc'"]));
    expect(s.readJson('cluster.json').settings['enterprise.license']).toBe('crl-0-abc');
  },
  'sql.set-shutdown-setting': (s) => {
    cluster(s);
    ok(sql(s, ["SET CLUSTER SETTING server.shutdown.connections.timeout = '330s'"]));
    expect(s.readJson('cluster.json').settings['server.shutdown.connections.timeout']).toBe('330s');
  },
  'sql.set-version': (s) => {
    cluster(s);
    fails(sql(s, ["SET CLUSTER SETTING version = '26.2'"]), 'are not running binary version 26.2');
  },
  'sql.show-backup-tables': (s) => {
    cluster(s, backups(chain('01')));
    expect(csv(sql(s, [`WITH b AS (SHOW BACKUP FROM '2026/03/01-000000.00' IN '${URI}') SELECT DISTINCT object_name FROM b WHERE database_name = 'hydra' AND object_type = 'table' ORDER BY object_name`]))).toEqual(['object_name', 'hydra_client', 'networks']);
  },
  'sql.show-backup-times': (s) => {
    cluster(s, backups(chain('01'), { ...chain('02'), unreadable: true }));
    const layers = (path: string) => sql(s, [`WITH b AS (SHOW BACKUP FROM '${path}' IN '${URI}') SELECT DISTINCT backup_type, start_time, end_time FROM b ORDER BY end_time`]);
    expect(csv(layers('2026/03/01-000000.00'))).toEqual([
      'backup_type,start_time,end_time',
      'full,NULL,2026-03-01 00:00:00+00',
      'incremental,2026-03-01 00:00:00+00,2026-03-01 01:00:00+00',
      'incremental,2026-03-01 01:00:00+00,2026-03-01 02:00:00+00',
    ]);
    fails(layers('2026/03/02-000000.00'), /BACKUP_MANIFEST/);
  },
  'sql.show-backups': (s) => {
    cluster(s, backups(chain('01'), chain('02')));
    expect(csv(sql(s, [`SHOW BACKUPS IN '${URI}'`]))).toEqual(['path', '2026/03/01-000000.00', '2026/03/02-000000.00']);
    fails(sql(s, [`SHOW BACKUPS IN 's3://elsewhere/clusters/x?AUTH=implicit'`]), 'no backups found');
  },
  'sql.show-databases': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    expect(csv(sql(s, ['SELECT database_name FROM [SHOW DATABASES]']))).toEqual(['database_name', 'defaultdb', 'postgres', 'system', 'hydra']);
  },
  'sql.show-databases-regions': (s) => {
    regionCluster(s, [EAST, EAST2, WEST], { keto: null, hydra: mr(EAST, [EAST, WEST, EAST2], { secondaryRegion: EAST2, survivalGoal: 'region' }), kratos: mr(EAST, [EAST]), other: null });
    expect(csv(sql(s, ["SELECT database_name, primary_region, secondary_region, regions, survival_goal FROM [SHOW DATABASES] WHERE database_name IN ('hydra', 'kratos', 'keto') ORDER BY database_name"]))).toEqual([
      'database_name,primary_region,secondary_region,regions,survival_goal',
      `hydra,${EAST},${EAST2},"{${EAST},${EAST2},${WEST}}",region`,
      'keto,NULL,NULL,{},NULL',
      `kratos,${EAST},NULL,{${EAST}},zone`,
    ]);
  },
  'sql.show-preserve-downgrade-option': (s) => {
    cluster(s, { settings: { 'cluster.preserve_downgrade_option': '25.4' } });
    expect(csv(sql(s, ['SHOW CLUSTER SETTING cluster.preserve_downgrade_option']))[1]).toBe('25.4');
  },
  'sql.show-regions-from-cluster': (s) => {
    regionCluster(s, [WEST, EAST], {}, [EAST2]);
    expect(csv(sql(s, ['SELECT region FROM [SHOW REGIONS FROM CLUSTER] ORDER BY region']))).toEqual(['region', EAST, WEST]);
    cluster(s);
    expect(csv(sql(s, ['SELECT region FROM [SHOW REGIONS FROM CLUSTER] ORDER BY region']))).toEqual(['region']);
  },
  'sql.show-schedules-for-backup': (s) => {
    cluster(s, { schedules: [{ id: '1001', label: 'l', backupType: 'FULL' }, { id: '1002', label: 'l', backupType: 'INCREMENTAL' }] });
    expect(csv(sql(s, ["SELECT id FROM [SHOW SCHEDULES FOR BACKUP] WHERE label = 'l' AND backup_type = 'FULL' ORDER BY created LIMIT 1"]))).toEqual(['id', '1001']);
  },
  'sql.show-shutdown-setting': (s) => {
    cluster(s, { settings: { 'server.shutdown.connections.timeout': '330s' } });
    const show = (name: string) => csv(sql(s, [`SHOW CLUSTER SETTING ${name}`]))[1];
    expect(['initial_wait', 'connections.timeout', 'transactions.timeout', 'lease_transfer_iteration.timeout'].map((n) => show(`server.shutdown.${n}`))).toEqual(['00:00:00', '00:05:30', '00:00:10', '00:00:05']);
  },
  'sql.show-version': (s) => {
    cluster(s);
    expect(csv(sql(s, ['SHOW CLUSTER SETTING version']))).toEqual(['version', '25.4']);
  },
  'sql.store-range-metrics': (s) => {
    cluster(s, { underReplicated: 1, unavailable: 0 });
    const query = "SELECT coalesce(sum((metrics->>'ranges.underreplicated')::INT8), 0), coalesce(sum((metrics->>'ranges.unavailable')::INT8), 0) FROM crdb_internal.kv_store_status";
    expect([csv(sql(s, [query]))[1], csv(sql(s, [query]))[1]]).toEqual(['1,0', '0,0']);
  },
  'sql.use': (s) => {
    cluster(s, { ...USERS, dbs: liveHydra() });
    ok(sql(s, ['USE hydra', 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO verifier']));
    fails(sql(s, ['USE nothere']), 'database "nothere" does not exist');
  },
};

/**
 * The backup check. Its SQL runs only on CockroachDB (no binary here): its text is held to
 * CockroachDB v25.4's documented statements and output columns, and the decision is tested on
 * recorded rows shaped as CockroachDB returns them through pg (INT8 ids as strings, TIMESTAMPTZ
 * as Date). The real PostgreSQL refusing the SQL is in verify-e2e.spec.ts.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runBackupCheck, type BackupSummary } from '../src/backup-check';
import { backupWindow, decideBackups, type BackupJobRow, type BackupScheduleRow } from '../src/backup-decision';
import { BACKUP_SCHEDULES_SQL, JOBS_PER_SCHEDULE, backupJobsSql } from '../src/backup-queries';
import { FlowRun, type StepResult } from '../src/flow';
import { recurrenceIntervalMinutes } from '../src/recurrence-interval';

/**
 * Output columns as CockroachDB v25.4 defines them: `SHOW SCHEDULES FOR BACKUP` in
 * pkg/sql/delegate/show_schedules.go (id, label, schedule_status, next_run, state, recurrence,
 * jobsRunning, owner, created, on_previous_running, on_execution_failure, then for backups command
 * and backup_type), `SHOW JOBS <select>` (what `FOR SCHEDULE` becomes) in show_jobs.go and the
 * v25.4 show-jobs page's field table.
 */
const SHOW_SCHEDULES_FOR_BACKUP_COLUMNS = ['id', 'label', 'schedule_status', 'next_run', 'state', 'recurrence', 'jobsrunning', 'owner', 'created', 'on_previous_running', 'on_execution_failure', 'command', 'backup_type'];
const SHOW_JOBS_SELECT_COLUMNS = ['job_id', 'job_type', 'description', 'statement', 'user_name', 'status', 'running_status', 'created', 'started', 'finished', 'modified', 'fraction_completed', 'error', 'coordinator_id', 'trace_id', 'execution_errors'];

/** The columns a `SELECT a::STRING AS a, b, ... FROM` reads from its source. */
function selectedSourceColumns(sql: string): string[] {
  const list = /\bSELECT\s+([\s\S]+?)\s+FROM\b/.exec(sql)?.[1] ?? '';
  return list.split(',').map((item) => item.trim().replace(/::\w+/, '').replace(/\s+AS\s+\w+$/i, ''));
}

describe('the backup SQL, against CockroachDB v25.4 syntax and output columns', () => {
  it('schedules: the documented filter form over SHOW SCHEDULES FOR BACKUP, the label as a placeholder, documented columns only', () => {
    expect(BACKUP_SCHEDULES_SQL).toMatch(/^WITH schedules AS \(SHOW SCHEDULES FOR BACKUP\)\nSELECT [^;]+\n {2}FROM schedules\n WHERE label = \$1\n ORDER BY created, id$/);
    const columns = selectedSourceColumns(BACKUP_SCHEDULES_SQL);
    expect(columns.filter((c) => !SHOW_SCHEDULES_FOR_BACKUP_COLUMNS.includes(c))).toEqual([]);
    expect(columns).toEqual(expect.arrayContaining(['id', 'label', 'schedule_status', 'state', 'recurrence', 'created', 'backup_type', 'command']));
    expect(BACKUP_SCHEDULES_SQL).toContain('id::STRING AS id'); // INT8 beyond 2^53
  });

  it('jobs: SHOW JOBS FOR SCHEDULE <id> in the documented filter form, newest first, documented columns only; the id is digits or nothing', () => {
    const sql = backupJobsSql('1016427148917211137');
    expect(sql).toBe(`WITH jobs AS (SHOW JOBS FOR SCHEDULE 1016427148917211137)\nSELECT job_id::STRING AS job_id, job_type, status, created, started, finished, error\n  FROM jobs\n ORDER BY created DESC\n LIMIT ${JOBS_PER_SCHEDULE}`);
    expect(selectedSourceColumns(sql).filter((c) => !SHOW_JOBS_SELECT_COLUMNS.includes(c))).toEqual([]);
    for (const bad of ['1; DROP DATABASE hydra', '1)', '', '12345678901234567890123']) expect(() => backupJobsSql(bad)).toThrow('not a schedule id');
  });
});

describe('how often a schedule runs, from its recurrence', () => {
  it.each([
    ['@hourly', 60],
    ['@daily', 1440],
    ['@midnight', 1440],
    ['@weekly', 10080],
    ['@monthly', 31 * 1440],
    ['@yearly', 366 * 1440],
    ['0 * * * *', 60],
    ['*/15 * * * *', 15],
    ['0 */6 * * *', 360],
    ['30 2 * * 1-5', 3 * 1440], // Friday to Monday
    ['0 0 1,15 * *', 17 * 1440], // 15th to the 1st of a 31-day month
    ['0 0 * * SUN', 10080],
    ['0 0 * * 7', 10080],
    ['0 0 1 * mon', 7 * 1440], // the 1st or a Monday, as cron reads both
  ])('%s: at most %i minutes between runs', (recurrence, minutes) => {
    expect(recurrenceIntervalMinutes(recurrence)).toBe(minutes);
  });

  it.each(['@every 1h', '0 0 0 * * *', '0 0 L * *', '61 * * * *', '0 0 * * 8', 'hourly', ''])('%j is not understood', (recurrence) => {
    expect(recurrenceIntervalMinutes(recurrence)).toBeUndefined();
  });
});

const NOW = new Date('2026-03-10T12:30:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const LABEL = 'crdb_ory_backup';
const BUCKET = 'crdb-ory-backups-123456789012-us-east-1';
const COLLECTION = `s3://${BUCKET}/cluster?AUTH=implicit`;

/** The two schedules `CREATE SCHEDULE crdb_ory_backup FOR BACKUP INTO '...' WITH revision_history RECURRING '@hourly' FULL BACKUP '@daily'` makes. */
const INCREMENTAL: BackupScheduleRow = {
  id: '1016427148917211137',
  label: LABEL,
  schedule_status: 'ACTIVE',
  next_run: new Date('2026-03-10T13:00:00Z'),
  state: null,
  recurrence: '@hourly',
  jobsrunning: '0',
  owner: 'root',
  created: new Date('2026-03-01T08:00:00Z'),
  backup_type: 'INCREMENTAL',
  command: `BACKUP INTO LATEST IN '${COLLECTION}' WITH OPTIONS (revision_history = true, detached)`,
};
const FULL: BackupScheduleRow = {
  ...INCREMENTAL,
  id: '1016427148917276673',
  next_run: new Date('2026-03-11T00:00:00Z'),
  recurrence: '@daily',
  backup_type: 'FULL',
  command: `BACKUP INTO '${COLLECTION}' WITH OPTIONS (revision_history = true, detached)`,
};

function job(id: string, status: string, createdMinutesAgo: number, durationMinutes: number | undefined, error: string | null = null): BackupJobRow {
  const created = minutesAgo(createdMinutesAgo);
  return { job_id: id, job_type: 'BACKUP', status, created, started: created, finished: durationMinutes === undefined ? null : minutesAgo(createdMinutesAgo - durationMinutes), error };
}

const HEALTHY_JOBS = {
  [INCREMENTAL.id]: [job('1016500000000000003', 'succeeded', 30, 2), job('1016500000000000002', 'succeeded', 90, 2)],
  [FULL.id]: [job('1016500000000000001', 'succeeded', 750, 20)],
};

const decide = (schedules: readonly BackupScheduleRow[], jobs: Record<string, BackupJobRow[]>, extra: { bucket?: string; windowOverride?: { minutes: number; from: string } } = {}) =>
  decideBackups({ label: LABEL, schedules, jobs, now: NOW, bucket: BUCKET, ...extra });

describe('the backup decision, on recorded rows', () => {
  it('fine: both schedules active, the newest backup (an incremental) 28 minutes old, within twice @hourly', () => {
    expect(decide([INCREMENTAL, FULL], HEALTHY_JOBS)).toEqual({
      outcome: 'fine',
      ok: true,
      message: `the newest successful backup (job 1016500000000000003, INCREMENTAL) finished 28 min ago, within the window, 120 min (twice the recurrence @hourly of schedule ${INCREMENTAL.id} (INCREMENTAL, @hourly))`,
    });
    expect(backupWindow([FULL])).toEqual({ minutes: 2880, from: `twice the recurrence @daily of schedule ${FULL.id} (FULL, @daily)` });
  });

  it('missing: no schedule has the label', () => {
    expect(decide([], {})).toMatchObject({ outcome: 'missing', ok: false, message: 'no backup schedule is labelled crdb_ory_backup (SHOW SCHEDULES FOR BACKUP)', likelyCause: expect.stringContaining('journalctl -u cockroach-bootstrap') });
  });

  it('paused: a schedule paused by hand or after a failure (not the incremental waiting for its first full backup)', () => {
    const paused = { ...FULL, schedule_status: 'PAUSED', next_run: null, state: 'reschedule: failed to write to s3' };
    expect(decide([INCREMENTAL, paused], HEALTHY_JOBS)).toMatchObject({
      outcome: 'paused',
      ok: false,
      message: `schedule ${FULL.id} (FULL, @daily) is PAUSED (state: reschedule: failed to write to s3)`,
      likelyCause: expect.stringContaining('RESUME SCHEDULE'),
    });
  });

  it('running: right after the bootstrap, the first full backup runs and the incremental waits for it', () => {
    const fresh = { ...FULL, created: minutesAgo(5) };
    const waiting = { ...INCREMENTAL, created: minutesAgo(5), schedule_status: 'PAUSED', next_run: null, state: 'Waiting for initial backup to complete' };
    const finding = decide([waiting, fresh], { [waiting.id]: [], [fresh.id]: [job('1016500000000000010', 'running', 4, undefined)] });
    expect(finding).toMatchObject({ outcome: 'running', ok: true });
    expect(finding.message).toBe(`no backup has completed yet: schedule ${INCREMENTAL.id} (INCREMENTAL, @hourly) was created 5 min ago, within the window, 120 min (twice the recurrence @hourly of schedule ${INCREMENTAL.id} (INCREMENTAL, @hourly)); job 1016500000000000010 of schedule ${FULL.id} (FULL, @daily) is running since ${minutesAgo(4).toISOString()}`);
  });

  it('running: an hourly run in progress while the previous backup is still within the window', () => {
    const jobs = { ...HEALTHY_JOBS, [INCREMENTAL.id]: [job('1016500000000000004', 'running', 1, undefined), ...(HEALTHY_JOBS[INCREMENTAL.id] ?? [])] };
    expect(decide([INCREMENTAL, FULL], jobs)).toMatchObject({ outcome: 'running', ok: true, message: expect.stringMatching(/finished 28 min ago, within the window, 120 min .*; job 1016500000000000004 of schedule \d+ \(INCREMENTAL, @hourly\) is running since/) });
  });

  it('last job failed: the latest run of a schedule failed, even if an older backup is recent', () => {
    const error = 'failed to write to s3://crdb-ory-backups-123456789012-us-east-1/cluster: AccessDenied: Access Denied';
    const jobs = { ...HEALTHY_JOBS, [INCREMENTAL.id]: [job('1016500000000000005', 'failed', 5, 1, error), ...(HEALTHY_JOBS[INCREMENTAL.id] ?? [])] };
    expect(decide([INCREMENTAL, FULL], jobs)).toEqual({
      outcome: 'last-failed',
      ok: false,
      message: `the latest job of schedule ${INCREMENTAL.id} (INCREMENTAL, @hourly), 1016500000000000005, is failed (${minutesAgo(4).toISOString()}): ${error}`,
      likelyCause: expect.stringContaining('SHOW JOB 1016500000000000005'),
    });
    const paused = { ...HEALTHY_JOBS, [FULL.id]: [job('1016500000000000006', 'paused', 100, undefined)] };
    expect(decide([INCREMENTAL, FULL], paused)).toMatchObject({ outcome: 'last-failed', message: expect.stringContaining('1016500000000000006, is paused: later runs wait for it'), likelyCause: expect.stringContaining('RESUME JOB 1016500000000000006') });
  });

  it('last success too old: nothing finished within twice the recurrence (a stuck run is named)', () => {
    const stale = { [INCREMENTAL.id]: [job('1016500000000000007', 'running', 200, undefined), job('1016500000000000002', 'succeeded', 260, 2)], [FULL.id]: [job('1016500000000000001', 'succeeded', 750, 20)] };
    const finding = decide([INCREMENTAL, FULL], stale);
    expect(finding).toMatchObject({ outcome: 'too-old', ok: false, likelyCause: expect.stringContaining('next_run') });
    expect(finding.message).toBe(`the newest successful backup (job 1016500000000000002, INCREMENTAL) finished ${minutesAgo(258).toISOString()}, 258 min ago, longer than the window, 120 min (twice the recurrence @hourly of schedule ${INCREMENTAL.id} (INCREMENTAL, @hourly)); job 1016500000000000007 of schedule ${INCREMENTAL.id} (INCREMENTAL, @hourly) is running since ${minutesAgo(200).toISOString()}`);
    // A wider window, set by the option, accepts it.
    expect(decide([INCREMENTAL, FULL], stale, { windowOverride: { minutes: 300, from: '--backup-window-minutes' } })).toMatchObject({ outcome: 'running', ok: true, message: expect.stringContaining('within the window, 300 min (--backup-window-minutes)') });
    const never = decide([INCREMENTAL, FULL], { [INCREMENTAL.id]: [], [FULL.id]: [job('1016500000000000008', 'running', 20, undefined)] });
    expect(never).toMatchObject({ outcome: 'too-old', ok: false, message: expect.stringMatching(/^no backup of the schedules succeeded .*they exist for 13230 min, longer than the window/) });
  });

  it('last success too old for one schedule: the daily full stalled while the hourly incrementals go on', () => {
    const jobs = { ...HEALTHY_JOBS, [FULL.id]: [job('1016500000000000011', 'succeeded', 3 * 1440, 20)] };
    expect(decide([INCREMENTAL, FULL], jobs)).toMatchObject({
      outcome: 'too-old',
      ok: false,
      message: `schedule ${FULL.id} (FULL, @daily): its newest successful backup (job 1016500000000000011) finished ${minutesAgo(3 * 1440 - 20).toISOString()}, 4300 min ago, longer than twice its recurrence (2880 min)`,
    });
  });

  it('wrong destination: a schedule of the label writes elsewhere than the backup bucket', () => {
    const other = { ...FULL, command: "BACKUP INTO 's3://someone-elses-bucket/x?AUTH=implicit' WITH OPTIONS (detached)" };
    expect(decide([INCREMENTAL, other], HEALTHY_JOBS)).toMatchObject({ outcome: 'wrong-destination', ok: false, message: expect.stringContaining(`schedule ${FULL.id} (FULL, @daily) of crdb_ory_backup writes elsewhere than s3://${BUCKET}`) });
    // A bucket whose name merely starts with ours is elsewhere too; without a bucket nothing is compared.
    const prefix = { ...FULL, command: `BACKUP INTO 's3://${BUCKET}-old/cluster?AUTH=implicit' WITH OPTIONS (detached)` };
    expect(decide([INCREMENTAL, prefix], HEALTHY_JOBS).outcome).toBe('wrong-destination');
    expect(decideBackups({ label: LABEL, schedules: [INCREMENTAL, other], jobs: HEALTHY_JOBS, now: NOW }).outcome).toBe('fine');
  });

  it('no window: a recurrence the verifier does not understand needs --backup-window-minutes', () => {
    const odd = { ...INCREMENTAL, recurrence: '0 0 0 * * *' };
    expect(decide([odd, FULL], HEALTHY_JOBS)).toMatchObject({ outcome: 'no-window', ok: false, message: `cannot tell how often schedule ${INCREMENTAL.id} (INCREMENTAL, 0 0 0 * * *) runs from its recurrence`, likelyCause: expect.stringContaining('--backup-window-minutes') });
    expect(decide([odd, FULL], HEALTHY_JOBS, { windowOverride: { minutes: 60, from: '--backup-window-minutes' } }).outcome).toBe('fine');
  });
});

/** A pg client that answers the check's two statements with recorded rows, and records what it was asked. */
function recordedCockroach(schedules: BackupScheduleRow[], jobs: Record<string, BackupJobRow[]>, failWith?: { code: string; message: string }) {
  const asked: Array<{ sql: string; params: unknown[] }> = [];
  const client = {
    query: async (sql: string, params: unknown[] = []) => {
      asked.push({ sql, params });
      if (failWith) throw Object.assign(new Error(failWith.message), { code: failWith.code });
      if (sql === BACKUP_SCHEDULES_SQL) return { rows: schedules.filter((s) => s.label === params[0]) };
      const id = Object.keys(jobs).find((candidate) => sql === backupJobsSql(candidate));
      if (!id) throw new Error(`unexpected statement: ${sql}`);
      return { rows: jobs[id] };
    },
  } as unknown as pg.Client;
  return { client, asked };
}

async function checkWith(schedules: BackupScheduleRow[], jobs: Record<string, BackupJobRow[]>, failWith?: { code: string; message: string }) {
  const results: StepResult[] = [];
  const run = new FlowRun('backups', 1, (r) => results.push(r));
  const { client, asked } = recordedCockroach(schedules, jobs, failWith);
  const summary: { value?: BackupSummary } = {};
  const target = { db: { host: 'sql.crdb-ory.internal', port: 26257, database: 'hydra', user: 'verifier', sslrootcert: '', sslcert: '', sslkey: '' }, scheduleLabel: LABEL, bucketName: BUCKET };
  const ok = await run.execute((r) => runBackupCheck(r, target, client, 1000, summary, () => NOW), false);
  return { ok, results, summary: summary.value, asked };
}

describe('the backup check steps', () => {
  it('asks for the label, then the jobs of each of its schedules, and shows what it read', async () => {
    const { ok, results, summary, asked } = await checkWith([INCREMENTAL, FULL], HEALTHY_JOBS);
    expect(ok).toBe(true);
    expect(asked).toEqual([{ sql: BACKUP_SCHEDULES_SQL, params: [LABEL] }, { sql: backupJobsSql(INCREMENTAL.id), params: [] }, { sql: backupJobsSql(FULL.id), params: [] }]);
    expect(results.map((r) => [r.step, r.ok])).toEqual([
      ['sql: backup schedule crdb_ory_backup (SHOW SCHEDULES FOR BACKUP)', true],
      ['sql: latest backup jobs within their window (SHOW JOBS FOR SCHEDULE)', true],
    ]);
    expect(results[1]?.record).toEqual([
      { schedule_id: INCREMENTAL.id, backup_type: 'INCREMENTAL', latest_job: '1016500000000000003', status: 'succeeded', finished: minutesAgo(28), newest_success: '28 min ago (window 120 min)' },
      { schedule_id: FULL.id, backup_type: 'FULL', latest_job: '1016500000000000001', status: 'succeeded', finished: minutesAgo(730), newest_success: '' },
    ]);
    expect(summary).toMatchObject({ label: LABEL, bucket: BUCKET, outcome: 'fine', window: { minutes: 120 }, latestBackup: { jobId: '1016500000000000003', backupType: 'INCREMENTAL', ageMinutes: 28 } });
    expect(summary?.schedules.map((s) => [s.backupType, s.recurrence, s.latestJob?.status])).toEqual([['INCREMENTAL', '@hourly', 'succeeded'], ['FULL', '@daily', 'succeeded']]);
  });

  it('a missing schedule fails the first step (kind backups) and asks for no jobs', async () => {
    const { ok, results, asked, summary } = await checkWith([], {});
    expect(ok).toBe(false);
    expect(asked).toHaveLength(1);
    expect(results[0]?.error).toMatchObject({ kind: 'backups', message: 'no backup schedule is labelled crdb_ory_backup (SHOW SCHEDULES FOR BACKUP)' });
    expect(summary).toMatchObject({ outcome: 'missing', schedules: [] });
  });

  it('a failed last job fails the second step with its error; an unknown recurrence is a config failure', async () => {
    const failed = await checkWith([INCREMENTAL, FULL], { ...HEALTHY_JOBS, [FULL.id]: [job('1016500000000000009', 'failed', 40, 3, 'context canceled')] });
    expect(failed.ok).toBe(false);
    expect(failed.results[1]?.error).toMatchObject({ kind: 'backups', message: expect.stringContaining('1016500000000000009, is failed') });
    expect(failed.summary).toMatchObject({ outcome: 'last-failed', schedules: [{ latestJob: { status: 'succeeded' } }, { latestJob: { status: 'failed', error: 'context canceled' } }] });
    const odd = await checkWith([{ ...INCREMENTAL, recurrence: '@every 1h' }], { [INCREMENTAL.id]: [] });
    expect(odd.results[1]?.error).toMatchObject({ kind: 'config', message: expect.stringContaining('(INCREMENTAL, @every 1h)') });
  });

  it("CockroachDB's refusal of a user without the grants (v25.4: SELECT on system.scheduled_jobs) names the grant to give", async () => {
    // CockroachDB's message for SHOW SCHEDULES as a non-admin (cockroachdb/cockroach#103615).
    const { results } = await checkWith([], {}, { code: '42501', message: 'user verifier does not have SELECT privilege on relation scheduled_jobs' });
    expect(results[0]?.error).toMatchObject({
      kind: 'privileges',
      message: 'verifier@sql.crdb-ory.internal:26257/hydra: user verifier does not have SELECT privilege on relation scheduled_jobs',
      likelyCause: 'SQL user verifier may not see the backup schedule or its jobs: as admin, GRANT SYSTEM VIEWSYSTEMTABLE, VIEWJOB TO verifier',
    });
  });
});

import type pg from 'pg';
import { type BackupFinding, type BackupJobRow, type BackupScheduleRow, type BackupWindow, type LatestBackup, backupWindow, isWaitingForFirstFull, jobsFinding, latestBackup, scheduleFinding } from './backup-decision';
import { BACKUP_SCHEDULES_SQL, backupJobsSql } from './backup-queries';
import { cockroachOnlyQuery, type CockroachOnlyCheck } from './cockroach-query';
import type { BackupTarget } from './config';
import type { Row } from './database';
import { VerifyError } from './errors';
import type { FlowRun } from './flow';
import { flagName } from './settings';

/**
 * The least privilege that shows the schedule and its jobs on CockroachDB v25.4: `SHOW SCHEDULES`
 * reads system.scheduled_jobs (SELECT on a system table: admin or VIEWSYSTEMTABLE, which cannot
 * be narrowed to one table), and `SHOW JOBS` shows another user's jobs (the schedule's owner, root)
 * only with VIEWJOB.
 */
export const BACKUP_CHECK_GRANTS = 'GRANT SYSTEM VIEWSYSTEMTABLE, VIEWJOB TO';

/** What the backup check found, for `--json`. */
export interface BackupSummary {
  readonly label: string;
  readonly bucket?: string;
  readonly outcome?: BackupFinding['outcome'];
  readonly message?: string;
  readonly window?: BackupWindow;
  readonly latestBackup?: LatestBackup;
  readonly schedules: ReadonlyArray<{
    readonly id: string;
    readonly backupType: string;
    readonly status: string;
    readonly state: string | null;
    readonly recurrence: string;
    readonly nextRun: string | null;
    readonly latestJob?: { readonly jobId: string; readonly status: string; readonly created: string; readonly finished: string | null; readonly error: string | null };
  }>;
}

const BACKUP_CHECK: CockroachOnlyCheck = {
  kind: 'backups',
  name: 'the backup check',
  notCockroachCause: 'the backup check runs on CockroachDB only (SHOW SCHEDULES, SHOW JOBS): point --db-host at the cluster, or leave backups out of --services',
  privilegeCause: (user) => `SQL user ${user} may not see the backup schedule or its jobs: as admin, ${BACKUP_CHECK_GRANTS} ${user}`,
};

function cockroachQuery(client: pg.Client, target: BackupTarget, timeoutMs: number, sql: string, params: unknown[] = []): Promise<Row[]> {
  return cockroachOnlyQuery(client, target.db, BACKUP_CHECK, timeoutMs, sql, params);
}

function findingError(finding: BackupFinding): VerifyError {
  return new VerifyError(finding.outcome === 'no-window' ? 'config' : 'backups', finding.message, finding.likelyCause ?? '');
}

/**
 * The cluster's backups: the schedule with the label exists, writes to the backup bucket and is
 * not paused; then its latest jobs did not fail and the newest successful backup is within the
 * window. Fills `summary` as it goes (also when a step fails).
 */
export async function runBackupCheck(run: FlowRun, target: BackupTarget, client: pg.Client, timeoutMs: number, summary: { value?: BackupSummary }, now: () => Date = () => new Date()): Promise<void> {
  const base = { label: target.scheduleLabel, ...(target.bucketName ? { bucket: target.bucketName } : {}) };
  summary.value = { ...base, schedules: [] };
  const schedules = await run.step(`sql: backup schedule ${target.scheduleLabel} (SHOW SCHEDULES FOR BACKUP)`, async () => {
    const rows = (await cockroachQuery(client, target, timeoutMs, BACKUP_SCHEDULES_SQL, [target.scheduleLabel])) as unknown as BackupScheduleRow[];
    summary.value = { ...base, schedules: rows.map((s) => scheduleSummary(s)) };
    const finding = scheduleFinding(target.scheduleLabel, target.bucketName, rows);
    if (finding) {
      summary.value = { ...summary.value, outcome: finding.outcome, message: finding.message };
      throw findingError(finding);
    }
    return { value: rows, record: rows.map((s) => ({ id: s.id, backup_type: s.backup_type, schedule_status: s.schedule_status, state: s.state, recurrence: s.recurrence, next_run: s.next_run, jobsrunning: s.jobsrunning, owner: s.owner, command: s.command })) };
  });
  await run.step('sql: latest backup jobs within their window (SHOW JOBS FOR SCHEDULE)', async () => {
    const jobs: Record<string, BackupJobRow[]> = {};
    for (const schedule of schedules) jobs[schedule.id] = (await cockroachQuery(client, target, timeoutMs, backupJobsSql(schedule.id))) as unknown as BackupJobRow[];
    const at = now();
    const override = target.windowMinutes ? { minutes: target.windowMinutes, from: `--${flagName('backupWindowMinutes')}` } : undefined;
    const window = backupWindow(schedules, override);
    const finding = jobsFinding(schedules, jobs, window, at);
    const latest = latestBackup(schedules, jobs, at);
    summary.value = {
      ...base,
      outcome: finding.outcome,
      message: finding.message,
      ...(window ? { window } : {}),
      ...(latest ? { latestBackup: latest } : {}),
      schedules: schedules.map((s) => scheduleSummary(s, jobs[s.id]?.[0])),
    };
    if (!finding.ok) throw findingError(finding);
    const record = schedules.map((s) => {
      const last = jobs[s.id]?.[0];
      return {
        schedule_id: s.id,
        backup_type: s.backup_type,
        latest_job: last?.job_id ?? (isWaitingForFirstFull(s) ? '(waits for the first full backup)' : '(none yet)'),
        status: last?.status,
        finished: last?.finished,
        newest_success: latest?.scheduleId === s.id ? `${latest.ageMinutes} min ago (window ${window?.minutes} min)` : '',
      };
    });
    return { value: undefined, record };
  });
}

function scheduleSummary(s: BackupScheduleRow, last?: BackupJobRow): BackupSummary['schedules'][number] {
  return {
    id: s.id,
    backupType: s.backup_type,
    status: s.schedule_status,
    state: s.state,
    recurrence: s.recurrence,
    nextRun: s.next_run ? s.next_run.toISOString() : null,
    ...(last ? { latestJob: { jobId: last.job_id, status: last.status, created: last.created.toISOString(), finished: last.finished ? last.finished.toISOString() : null, error: last.error } } : {}),
  };
}

import { recurrenceIntervalMinutes } from './recurrence-interval';

/** A row of `SHOW SCHEDULES FOR BACKUP` as the check selects it (backup-queries.ts), as pg returns it. */
export interface BackupScheduleRow {
  readonly id: string;
  readonly label: string;
  /** `ACTIVE` or `PAUSED`. */
  readonly schedule_status: string;
  readonly next_run: Date | null;
  /** The schedule's last message, e.g. `Waiting for initial backup to complete`. */
  readonly state: string | null;
  readonly recurrence: string;
  readonly jobsrunning: string | number;
  readonly owner: string;
  readonly created: Date;
  /** `FULL` or `INCREMENTAL`. */
  readonly backup_type: string;
  readonly command: string;
}

/** A row of `SHOW JOBS FOR SCHEDULE <id>` as the check selects it. */
export interface BackupJobRow {
  readonly job_id: string;
  readonly job_type: string;
  readonly status: string;
  readonly created: Date;
  readonly started: Date | null;
  readonly finished: Date | null;
  readonly error: string | null;
}

/** What the check concluded. Only `fine` and `running` pass. */
export type BackupOutcome = 'fine' | 'running' | 'missing' | 'wrong-destination' | 'paused' | 'no-window' | 'last-failed' | 'too-old';

export interface BackupFinding {
  readonly outcome: BackupOutcome;
  readonly ok: boolean;
  /** What was found, in a sentence. */
  readonly message: string;
  /** For a failure: what usually causes it and what to do. */
  readonly likelyCause?: string;
}

/** The newest successful backup of the label's schedules. */
export interface LatestBackup {
  readonly jobId: string;
  readonly scheduleId: string;
  readonly backupType: string;
  readonly finished: string;
  readonly ageMinutes: number;
}

export interface BackupWindow {
  readonly minutes: number;
  /** `twice the recurrence @hourly of schedule <id>`, or the option that set it. */
  readonly from: string;
  /** Set by the option: then also the least window of each schedule. */
  readonly overridden?: boolean;
}

/** The incremental schedule stays paused with this state until its first full backup completes (CREATE SCHEDULE FOR BACKUP). */
const WAITING_FOR_FULL = /waiting for initial backup to complete/i;

const JOB_STATES = {
  succeeded: ['succeeded'],
  failed: ['failed', 'canceled', 'revert-failed', 'reverting', 'retry-reverting', 'cancel-requested'],
  paused: ['paused', 'pause-requested'],
  running: ['pending', 'running', 'retry-running'],
} as const;

type JobState = keyof typeof JOB_STATES;

function jobState(status: string): JobState | undefined {
  return (Object.keys(JOB_STATES) as JobState[]).find((state) => (JOB_STATES[state] as readonly string[]).includes(status.toLowerCase()));
}

function describeSchedule(s: BackupScheduleRow): string {
  return `schedule ${s.id} (${s.backup_type}, ${s.recurrence})`;
}

function fail(outcome: BackupOutcome, message: string, likelyCause: string): BackupFinding {
  return { outcome, ok: false, message, likelyCause };
}

/** An incremental schedule that waits for its first full backup: paused by CockroachDB itself, not a fault. */
export function isWaitingForFirstFull(schedule: BackupScheduleRow): boolean {
  return schedule.schedule_status === 'PAUSED' && schedule.backup_type === 'INCREMENTAL' && WAITING_FOR_FULL.test(schedule.state ?? '');
}

/**
 * The label's schedules: they exist, write to the backup bucket (when it is known) and none is
 * paused (except an incremental waiting for its first full backup). Undefined when they pass.
 */
export function scheduleFinding(label: string, bucket: string | undefined, schedules: readonly BackupScheduleRow[]): BackupFinding | undefined {
  if (schedules.length === 0) {
    return fail('missing', `no backup schedule is labelled ${label} (SHOW SCHEDULES FOR BACKUP)`, 'the bootstrap did not create it (on node 1: journalctl -u cockroach-bootstrap), it was dropped, or --backup-schedule-label names another schedule');
  }
  if (bucket) {
    const elsewhere = schedules.filter((s) => !new RegExp(`'s3://${escapeRegExp(bucket)}[/?']`).test(s.command));
    if (elsewhere.length > 0) {
      return fail('wrong-destination', `${elsewhere.map(describeSchedule).join(', ')} of ${label} write${elsewhere.length === 1 ? 's' : ''} elsewhere than s3://${bucket}: ${elsewhere.map((s) => s.command).join(' | ')}`, 'the schedule was created for another bucket (an older deployment, a manual CREATE SCHEDULE): drop it and let the bootstrap recreate it, or check --backup-bucket-name');
    }
  }
  const paused = schedules.filter((s) => s.schedule_status !== 'ACTIVE' && !isWaitingForFirstFull(s));
  if (paused.length > 0) {
    return fail('paused', `${paused.map((s) => `${describeSchedule(s)} is ${s.schedule_status}${s.state ? ` (state: ${s.state})` : ''}`).join('; ')}`, 'someone paused it (PAUSE SCHEDULE), or CockroachDB did after a failed run (on_execution_failure = pause): read its state and its last job\'s error, fix the cause, then RESUME SCHEDULE <id> as admin');
  }
  return undefined;
}

/**
 * How old the newest successful backup may be: the option when set, else twice the shortest
 * recurrence interval of the label's schedules (one run may be late or still running; 2 h for
 * @hourly incrementals). Undefined when a recurrence is not understood and no option is set.
 */
export function backupWindow(schedules: readonly BackupScheduleRow[], override?: { minutes: number; from: string }): BackupWindow | undefined {
  if (override) return { ...override, overridden: true };
  const intervals = schedules.map((s) => ({ schedule: s, minutes: recurrenceIntervalMinutes(s.recurrence) }));
  if (intervals.length === 0 || intervals.some((i) => i.minutes === undefined)) return undefined;
  const shortest = intervals.reduce((a, b) => ((b.minutes ?? Infinity) < (a.minutes ?? Infinity) ? b : a));
  return { minutes: 2 * (shortest.minutes ?? 0), from: `twice the recurrence ${shortest.schedule.recurrence} of ${describeSchedule(shortest.schedule)}` };
}

function newestFirst(jobs: readonly BackupJobRow[]): BackupJobRow[] {
  return [...jobs].sort((a, b) => b.created.getTime() - a.created.getTime());
}

function minutesBetween(earlier: Date, later: Date): number {
  return Math.round((later.getTime() - earlier.getTime()) / 60_000);
}

/** The newest successful backup over all the label's schedules. */
export function latestBackup(schedules: readonly BackupScheduleRow[], jobs: Readonly<Record<string, readonly BackupJobRow[]>>, now: Date): LatestBackup | undefined {
  let latest: LatestBackup | undefined;
  for (const schedule of schedules) {
    for (const job of jobs[schedule.id] ?? []) {
      if (jobState(job.status) !== 'succeeded' || !job.finished) continue;
      if (!latest || job.finished.getTime() > Date.parse(latest.finished)) {
        latest = { jobId: job.job_id, scheduleId: schedule.id, backupType: schedule.backup_type, finished: job.finished.toISOString(), ageMinutes: minutesBetween(job.finished, now) };
      }
    }
  }
  return latest;
}

/**
 * The label's backup jobs: the latest job of each schedule did not fail and is not paused, the
 * newest successful backup is within the window, and no schedule's own newest success is older
 * than twice its own recurrence (or the option's window, if wider). A job in progress passes while the newest success is still within
 * the window, and so does the very first backup of a schedule created less than one window ago.
 */
export function jobsFinding(schedules: readonly BackupScheduleRow[], jobs: Readonly<Record<string, readonly BackupJobRow[]>>, window: BackupWindow | undefined, now: Date): BackupFinding {
  if (!window) {
    const odd = schedules.filter((s) => recurrenceIntervalMinutes(s.recurrence) === undefined);
    return fail('no-window', `cannot tell how often ${odd.map(describeSchedule).join(', ')} runs from its recurrence`, 'set --backup-window-minutes: the oldest the newest successful backup may be');
  }
  for (const schedule of schedules) {
    const [last] = newestFirst(jobs[schedule.id] ?? []);
    if (!last) continue;
    const state = jobState(last.status);
    if (state === 'failed') {
      return fail('last-failed', `the latest job of ${describeSchedule(schedule)}, ${last.job_id}, is ${last.status}${last.finished ? ` (${last.finished.toISOString()})` : ''}: ${last.error ?? 'no error recorded'}`, `read the job (SHOW JOB ${last.job_id}): often the nodes' instance role may not write to the bucket or use its KMS key (AUTH=implicit), or the bucket is gone; the next run retries (on_execution_failure)`);
    }
    if (state === 'paused') {
      return fail('last-failed', `the latest job of ${describeSchedule(schedule)}, ${last.job_id}, is ${last.status}: later runs wait for it (on_previous_running = wait)`, `resume it (RESUME JOB ${last.job_id}) or cancel it (CANCEL JOB ${last.job_id}) as admin`);
    }
  }
  const running = schedules.flatMap((s) => newestFirst(jobs[s.id] ?? []).slice(0, 1).filter((j) => jobState(j.status) === 'running').map((j) => ({ schedule: s, job: j })));
  const runningText = running.map(({ schedule, job }) => `job ${job.job_id} of ${describeSchedule(schedule)} is ${job.status} since ${(job.started ?? job.created).toISOString()}`).join('; ');
  const latest = latestBackup(schedules, jobs, now);
  const windowText = `the window, ${window.minutes} min (${window.from})`;
  if (!latest) {
    const newest = schedules.reduce((a, b) => (b.created.getTime() > a.created.getTime() ? b : a));
    const age = minutesBetween(newest.created, now);
    if (age <= window.minutes) {
      return { outcome: 'running', ok: true, message: `no backup has completed yet: ${describeSchedule(newest)} was created ${age} min ago, within ${windowText}${runningText ? `; ${runningText}` : ''}` };
    }
    return fail('too-old', `no backup of the schedules succeeded (their latest jobs, up to 50 each)${runningText ? `; ${runningText}` : ''}, and they exist for ${age} min, longer than ${windowText}`, 'the schedules do not run, or every run fails before it finishes: read their jobs (SHOW JOBS FOR SCHEDULE <id>) and the schedules\' state and next_run');
  }
  if (latest.ageMinutes > window.minutes) {
    return fail('too-old', `the newest successful backup (job ${latest.jobId}, ${latest.backupType}) finished ${latest.finished}, ${latest.ageMinutes} min ago, longer than ${windowText}${runningText ? `; ${runningText}` : ''}`, 'the schedule stopped running or its runs do not finish in time: check next_run in SHOW SCHEDULES, a job stuck running, and the cluster\'s load');
  }
  const stalled = stalledSchedule(schedules, jobs, now, window.overridden ? window.minutes : 0);
  if (stalled) return stalled;
  const found = `the newest successful backup (job ${latest.jobId}, ${latest.backupType}) finished ${latest.ageMinutes} min ago, within ${windowText}`;
  return running.length > 0 ? { outcome: 'running', ok: true, message: `${found}; ${runningText}` } : { outcome: 'fine', ok: true, message: found };
}

/**
 * A schedule whose own newest success is older than twice its own recurrence (e.g. the daily full
 * while the hourly incrementals go on): incrementals then pile onto an ever older full backup.
 * Schedules waiting for their first full, created less than their window ago, or with a
 * recurrence not understood are not judged here.
 */
function stalledSchedule(schedules: readonly BackupScheduleRow[], jobs: Readonly<Record<string, readonly BackupJobRow[]>>, now: Date, leastWindow: number): BackupFinding | undefined {
  for (const schedule of schedules) {
    const interval = recurrenceIntervalMinutes(schedule.recurrence);
    if (interval === undefined || isWaitingForFirstFull(schedule)) continue;
    const own = latestBackup([schedule], jobs, now);
    const window = Math.max(2 * interval, leastWindow);
    if (own ? own.ageMinutes <= window : minutesBetween(schedule.created, now) <= window) continue;
    const newest = own ? `its newest successful backup (job ${own.jobId}) finished ${own.finished}, ${own.ageMinutes} min ago` : 'it has no successful backup among its latest jobs';
    return fail('too-old', `${describeSchedule(schedule)}: ${newest}, longer than ${window > 2 * interval ? `--backup-window-minutes (${window} min)` : `twice its recurrence (${window} min)`}`, 'that schedule stopped running or its runs do not finish: check its next_run in SHOW SCHEDULES and its jobs (SHOW JOBS FOR SCHEDULE <id>)');
  }
  return undefined;
}

export interface BackupEvidence {
  readonly label: string;
  readonly bucket?: string;
  readonly windowOverride?: { minutes: number; from: string };
  readonly schedules: readonly BackupScheduleRow[];
  readonly jobs: Readonly<Record<string, readonly BackupJobRow[]>>;
  readonly now: Date;
}

/** The whole decision: the schedules first, then their jobs. */
export function decideBackups(evidence: BackupEvidence): BackupFinding {
  return (
    scheduleFinding(evidence.label, evidence.bucket, evidence.schedules) ??
    jobsFinding(evidence.schedules, evidence.jobs, backupWindow(evidence.schedules, evidence.windowOverride), evidence.now)
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

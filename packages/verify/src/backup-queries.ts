/**
 * The SQL of the backup check: CockroachDB statements only (PostgreSQL has no schedules or jobs),
 * in their documented v25.4 forms, selecting only documented output columns. Nothing else in the
 * verifier runs them.
 *
 * - `SHOW SCHEDULES FOR BACKUP` (docs: show-schedules; source: pkg/sql/delegate/show_schedules.go)
 *   returns id, label, schedule_status ('ACTIVE' | 'PAUSED'), next_run, state, recurrence,
 *   jobsrunning, owner, created, on_previous_running, on_execution_failure, command, backup_type
 *   ('FULL' | 'INCREMENTAL'). A schedule with full and incremental backups is two schedules with
 *   the same label.
 * - `SHOW JOBS FOR SCHEDULE <id>` (docs: show-jobs, "Show jobs for a schedule") returns the jobs
 *   the schedule started, with no 12-hour age filter (that applies to a bare `SHOW JOBS` only):
 *   job_id, job_type, description, statement, user_name, status, running_status, created, started,
 *   finished, modified, fraction_completed, error, coordinator_id, trace_id, execution_errors.
 *
 * Both are filtered as the docs show it, `WITH x AS (SHOW ...) SELECT ... FROM x WHERE ...` (show-jobs
 * "Filter jobs", pause-schedules "Pause multiple schedules"). INT8 ids are cast to STRING: they
 * exceed JavaScript's 2^53.
 */

/** The schedule columns the check reads (a subset of SHOW SCHEDULES FOR BACKUP's). */
export const SCHEDULE_COLUMNS = ['id', 'label', 'schedule_status', 'next_run', 'state', 'recurrence', 'jobsrunning', 'owner', 'created', 'backup_type', 'command'] as const;

/** The job columns the check reads (a subset of SHOW JOBS's). */
export const JOB_COLUMNS = ['job_id', 'job_type', 'status', 'created', 'started', 'finished', 'error'] as const;

/** Jobs read per schedule, newest first: a day of hourly runs and then some. */
export const JOBS_PER_SCHEDULE = 50;

/** The backup schedules with a label ($1), oldest first. */
export const BACKUP_SCHEDULES_SQL = `WITH schedules AS (SHOW SCHEDULES FOR BACKUP)
SELECT id::STRING AS id, label, schedule_status, next_run, state, recurrence, jobsrunning, owner, created, backup_type, command
  FROM schedules
 WHERE label = $1
 ORDER BY created, id`;

/**
 * The newest jobs of one schedule. The id is a literal (a delegated SHOW statement is re-parsed
 * from text, so a placeholder in it is not bound): only digits are accepted.
 */
export function backupJobsSql(scheduleId: string): string {
  if (!/^\d{1,20}$/.test(scheduleId)) throw new Error(`not a schedule id: ${JSON.stringify(scheduleId)}`);
  return `WITH jobs AS (SHOW JOBS FOR SCHEDULE ${scheduleId})
SELECT job_id::STRING AS job_id, job_type, status, created, started, finished, error
  FROM jobs
 ORDER BY created DESC
 LIMIT ${JOBS_PER_SCHEDULE}`;
}

import type { PropProblem } from '@crdb-ory/core';

/**
 * The CockroachDB backup schedule the bootstrap creates (cdktf-free: the bootstrap, the CLI and
 * the tests share it). Each cluster writes its own collection, `s3://<bucket>/clusters/<cluster
 * id>`, so a new cluster (a re-created `cockroach` stack, a restore rehearsal) never appends to,
 * or shadows with an empty backup, the collection of the cluster it restores from.
 */
export const BACKUP_COLLECTIONS_PREFIX = 'clusters';

/** The label of the schedule pair (full and incremental) the bootstrap creates and converges. */
export const DEFAULT_BACKUP_SCHEDULE_LABEL = 'crdb_ory_backup';

/** Replaced by the bootstrap with `crdb_internal.cluster_id()` and the schedule's id. */
export const CLUSTER_ID_PLACEHOLDER = '@CLUSTER_ID@';
export const SCHEDULE_ID_PLACEHOLDER = '@SCHEDULE_ID@';

export interface BackupScheduleSettings {
  /** Label of the schedule (`SHOW SCHEDULES`); an SQL identifier. @default 'crdb_ory_backup' */
  readonly label: string;
  /** When full backups run (crontab, UTC, or @daily/@weekly...). @default '@daily' */
  readonly fullBackupCrontab: string;
  /** When incremental backups run (appending to the latest full). @default '@hourly' */
  readonly incrementalCrontab: string;
  /** `revision_history`: every revision inside the GC window, so a restore can go to any point in time. @default true */
  readonly revisionHistory: boolean;
}

export const DEFAULT_BACKUP_SCHEDULE: BackupScheduleSettings = {
  label: DEFAULT_BACKUP_SCHEDULE_LABEL,
  fullBackupCrontab: '@daily',
  incrementalCrontab: '@hourly',
  revisionHistory: true,
};

/** Where the backups of one cluster go: the node's instance role authenticates (`AUTH=implicit`). */
export function backupCollectionUri(bucketName: string, region: string, clusterId: string): string {
  return `s3://${bucketName}/${BACKUP_COLLECTIONS_PREFIX}/${clusterId}?AUTH=implicit&AWS_REGION=${region}`;
}

/**
 * Idempotent creation (the label is the key), the first full backup at once. With
 * `updates_cluster_last_backup_time_metric` both schedules of the pair maintain CockroachDB's
 * `schedules.BACKUP.last-completed-time` gauge, which the no-recent-backup alarm watches (the
 * option takes no value; "Backup and Restore Monitoring": the gauge updates only for schedules
 * created with it).
 */
export function renderCreateBackupScheduleSql(s: BackupScheduleSettings, bucketName: string, region: string): string {
  return [
    `CREATE SCHEDULE IF NOT EXISTS ${s.label}`,
    `  FOR BACKUP INTO '${backupCollectionUri(bucketName, region, CLUSTER_ID_PLACEHOLDER)}'`,
    `  WITH revision_history = ${s.revisionHistory}`,
    `  RECURRING '${s.incrementalCrontab}'`,
    `  FULL BACKUP '${s.fullBackupCrontab}'`,
    `  WITH SCHEDULE OPTIONS first_run = 'now', on_execution_failure = 'reschedule', on_previous_running = 'wait', updates_cluster_last_backup_time_metric;`,
  ].join('\n');
}

/**
 * Converges an existing schedule pair to the configured cadence and options (a bootstrap on a
 * replaced node 1), including `updates_cluster_last_backup_time_metric` for a pair created before
 * the alarm watched it (ALTER sets it on the full and the incremental schedule:
 * pkg/backup/alter_backup_schedule.go). The collection never changes: it is the cluster's own, in
 * a bucket that cannot be replaced.
 */
export function renderAlterBackupScheduleSql(s: BackupScheduleSettings): string {
  return [
    `ALTER BACKUP SCHEDULE ${SCHEDULE_ID_PLACEHOLDER}`,
    `  SET RECURRING '${s.incrementalCrontab}',`,
    `  SET FULL BACKUP '${s.fullBackupCrontab}',`,
    `  SET WITH revision_history = '${s.revisionHistory}',`,
    `  SET SCHEDULE OPTION updates_cluster_last_backup_time_metric;`,
  ].join('\n');
}

/** The id of the full-backup schedule of the label (empty output: none yet). */
export function findBackupScheduleSql(label: string): string {
  return `SELECT id FROM [SHOW SCHEDULES FOR BACKUP] WHERE label = '${label}' AND backup_type = 'FULL' ORDER BY created LIMIT 1`;
}

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?|[A-Za-z]{3}(-[A-Za-z]{3})?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?|[A-Za-z]{3}(-[A-Za-z]{3})?)(\/[0-9]+)?)*$/;

/** Hours between runs of a descriptor crontab (`@hourly` 1, `@daily` 24...); undefined for a 5-field crontab. */
export function crontabIntervalHours(crontab: string): number | undefined {
  const hours: Record<string, number> = { '@hourly': 1, '@daily': 24, '@midnight': 24, '@weekly': 168, '@monthly': 744, '@yearly': 8784, '@annually': 8784 };
  return hours[crontab];
}

/** The problem with `crontab` unless it is a descriptor (@hourly, @daily...) or five cron fields. */
export function crontabProblems(prop: string, crontab: string): PropProblem[] {
  const fields = crontab.trim().split(/\s+/);
  const valid = DESCRIPTORS.includes(crontab) || (fields.length === 5 && fields.every((field) => CRON_FIELD.test(field)));
  return valid ? [] : [{ prop, value: crontab, message: `allowed are ${DESCRIPTORS.join(', ')} or five cron fields (minute hour day-of-month month day-of-week, UTC), e.g. "15 */4 * * *"` }];
}

/** The problem with `label` unless it can name a schedule in SQL as it is (an identifier). */
export function backupScheduleLabelProblems(prop: string, label: string): PropProblem[] {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(label) ? [] : [{ prop, value: label, message: 'allowed are 1-63 of a-z, 0-9 and "_", not starting with a digit' }];
}

/** Everything that keeps the schedule settings from rendering into SQL safely, under `<prop>.label` and `<prop>.<crontab>`. */
export function backupScheduleProblems(s: BackupScheduleSettings, prop = 'backupSchedule'): PropProblem[] {
  return [
    ...backupScheduleLabelProblems(`${prop}.label`, s.label),
    ...crontabProblems(`${prop}.fullBackupCrontab`, s.fullBackupCrontab),
    ...crontabProblems(`${prop}.incrementalCrontab`, s.incrementalCrontab),
  ];
}

import {
  backupBucketProblems,
  backupScheduleProblems,
  certificateExpiryDaysProblems,
  crontabIntervalHours,
  freeSpacePercentProblems,
  staleBackupAlarmHoursProblems,
} from '@crdb-ory/cockroach';
import { alarmSubscriptionProblems } from '@crdb-ory/network';
import { ConfigIssue, issuesOfProblems } from './config-error';
import type { DeploymentConfig } from './schema';

/** The shortest reason the policy gate accepts for a suppression. */
const MIN_REASON = 10;

/** Turning backups or alarms off is an explicit decision with a reason (the policy gate's suppression reason), never a typo. */
function disabledNeedsReason(section: string, enabled: boolean, reason: string | undefined, what: string): ConfigIssue[] {
  if (!enabled && (reason ?? '').trim().length < MIN_REASON) {
    return [{ setting: `${section}.disabledReason`, value: reason, message: `is required when ${section}.enabled is false: say why this deployment may run without ${what} (at least ${MIN_REASON} characters); the policy gate shows it as the reason of its suppression` }];
  }
  if (enabled && reason !== undefined) {
    return [{ setting: `${section}.disabledReason`, value: reason, message: `is allowed only with ${section}.enabled false` }];
  }
  return [];
}

/** `cockroach.backup`: the schedule renders into SQL safely, the bucket settings are ones S3 accepts. */
export function cockroachBackupRule(config: DeploymentConfig): ConfigIssue[] {
  const b = config.cockroach.backup;
  const issues = disabledNeedsReason('cockroach.backup', b.enabled, b.disabledReason, 'backups');
  if (!b.enabled) return issues;
  return [
    ...issues,
    ...issuesOfProblems(
      [...backupScheduleProblems({ label: b.scheduleLabel, fullBackupCrontab: b.fullBackupCrontab, incrementalCrontab: b.incrementalCrontab, revisionHistory: b.revisionHistory }), ...backupBucketProblems(b)],
      BACKUP_SETTING_PATHS,
    ),
  ];
}

/** Where the props of the schedule (`CockroachStack`'s `backupSchedule`) and of the `CockroachBackupStack` bucket live in the configuration. */
const BACKUP_SETTING_PATHS: Record<string, string> = {
  'backupSchedule.label': 'cockroach.backup.scheduleLabel',
  'backupSchedule.fullBackupCrontab': 'cockroach.backup.fullBackupCrontab',
  'backupSchedule.incrementalCrontab': 'cockroach.backup.incrementalCrontab',
  ...Object.fromEntries(['bucketName', 'retentionDays', 'noncurrentRetentionDays', 'objectLock'].map((prop) => [prop, `cockroach.backup.${prop}`])),
};

/** Where the alarm props (network topic, cockroach alarms and backup alarm) live in the configuration. */
const MONITORING_SETTING_PATHS: Record<string, string> = {
  alarmSubscriptions: 'monitoring.alarmSubscriptions',
  certificateExpiryDays: 'monitoring.certificateExpiryAlarmDays',
  dataVolumeFreePercent: 'monitoring.dataVolumeFreeSpaceAlarmPercent',
  staleBackupAlarmHours: 'monitoring.backupMissingAlarmHours',
};

/** `monitoring`: subscribers SNS accepts, thresholds that make sense, and thresholds that fit the other settings. */
export function monitoringRule(config: DeploymentConfig): ConfigIssue[] {
  const m = config.monitoring;
  const issues = disabledNeedsReason('monitoring', m.enabled, m.disabledReason, 'alarms');
  if (!m.enabled) return issues;
  issues.push(
    ...issuesOfProblems(
      [
        ...alarmSubscriptionProblems(m.alarmSubscriptions, 'alarmSubscriptions'),
        ...certificateExpiryDaysProblems('certificateExpiryDays', m.certificateExpiryAlarmDays),
        ...freeSpacePercentProblems('dataVolumeFreePercent', m.dataVolumeFreeSpaceAlarmPercent),
        ...staleBackupAlarmHoursProblems('staleBackupAlarmHours', m.backupMissingAlarmHours),
      ],
      MONITORING_SETTING_PATHS,
    ),
  );
  const renewalDays = config.cockroach.certificates.earlyRenewalHours / 24;
  if (m.certificateExpiryAlarmDays > renewalDays) {
    issues.push({
      setting: 'monitoring.certificateExpiryAlarmDays',
      value: m.certificateExpiryAlarmDays,
      message: `must be at most cockroach.certificates.earlyRenewalHours / 24 (${renewalDays} days): an apply of cockroach-pki renews a certificate only inside that window, so an earlier alarm would fire with nothing an operator can do yet`,
    });
  }
  const interval = crontabIntervalHours(config.cockroach.backup.incrementalCrontab);
  if (config.cockroach.backup.enabled && interval !== undefined && m.backupMissingAlarmHours <= interval) {
    issues.push({
      setting: 'monitoring.backupMissingAlarmHours',
      value: m.backupMissingAlarmHours,
      message: `must be more than the interval of cockroach.backup.incrementalCrontab (${config.cockroach.backup.incrementalCrontab}: ${interval} h), or the alarm fires between two healthy backups`,
    });
  }
  return issues;
}

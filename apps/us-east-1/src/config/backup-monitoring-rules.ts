import {
  crontabIntervalHours,
  validateBackupBucketSettings,
  validateBackupScheduleLabel,
  validateCertificateExpiryDays,
  validateCrontab,
  validateFreeSpacePercent,
  validateStaleBackupAlarmHours,
} from '@crdb-ory/cockroach';
import { validateAlarmSubscriptions } from '@crdb-ory/network';
import { ConfigIssue, runSettingChecks } from './config-error';
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
    ...runSettingChecks([
      { setting: 'cockroach.backup.scheduleLabel', value: b.scheduleLabel, check: () => validateBackupScheduleLabel('cockroach.backup.scheduleLabel', b.scheduleLabel) },
      { setting: 'cockroach.backup.fullBackupCrontab', value: b.fullBackupCrontab, check: () => validateCrontab('cockroach.backup.fullBackupCrontab', b.fullBackupCrontab) },
      { setting: 'cockroach.backup.incrementalCrontab', value: b.incrementalCrontab, check: () => validateCrontab('cockroach.backup.incrementalCrontab', b.incrementalCrontab) },
      { setting: 'cockroach.backup', value: undefined, check: () => validateBackupBucketSettings(b, 'cockroach.backup.') },
    ]),
  ];
}

/** `monitoring`: subscribers SNS accepts, thresholds that make sense, and thresholds that fit the other settings. */
export function monitoringRule(config: DeploymentConfig): ConfigIssue[] {
  const m = config.monitoring;
  const issues = disabledNeedsReason('monitoring', m.enabled, m.disabledReason, 'alarms');
  if (!m.enabled) return issues;
  issues.push(
    ...runSettingChecks([
      { setting: 'monitoring.alarmSubscriptions', value: undefined, check: () => validateAlarmSubscriptions(m.alarmSubscriptions, 'monitoring.alarmSubscriptions') },
      { setting: 'monitoring.certificateExpiryAlarmDays', value: m.certificateExpiryAlarmDays, check: () => validateCertificateExpiryDays('monitoring.certificateExpiryAlarmDays', m.certificateExpiryAlarmDays) },
      { setting: 'monitoring.dataVolumeFreeSpaceAlarmPercent', value: m.dataVolumeFreeSpaceAlarmPercent, check: () => validateFreeSpacePercent('monitoring.dataVolumeFreeSpaceAlarmPercent', m.dataVolumeFreeSpaceAlarmPercent) },
      { setting: 'monitoring.backupMissingAlarmHours', value: m.backupMissingAlarmHours, check: () => validateStaleBackupAlarmHours('monitoring.backupMissingAlarmHours', m.backupMissingAlarmHours) },
    ]),
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

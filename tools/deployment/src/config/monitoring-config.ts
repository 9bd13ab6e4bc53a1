import { ALARM_SUBSCRIPTION_PROTOCOLS, AlarmSubscriptionProtocol } from '@crdb-ory/network';
import { DEFAULT_COCKROACH_ALARMS, DEFAULT_STALE_BACKUP_ALARM_HOURS } from '@crdb-ory/cockroach';
import { z } from 'zod';

/** Alarms of every stack (one SNS topic in the network stack), their thresholds and who is notified. */
export const monitoringConfig = z.strictObject({
  /** Alarms are on by default; turning them off needs `disabledReason`, which the policy gate shows as the suppression's reason. */
  enabled: z.boolean(),
  /** Why this deployment has no alarms (at least 10 characters); required when `enabled` is false. */
  disabledReason: z.string().optional(),
  /** Who the alarm topic notifies: SNS protocol and endpoint (email and https subscribers confirm first). */
  alarmSubscriptions: z.array(
    z.strictObject({
      protocol: z.enum(ALARM_SUBSCRIPTION_PROTOCOLS as unknown as [AlarmSubscriptionProtocol, ...AlarmSubscriptionProtocol[]]),
      endpoint: z.string(),
    }),
  ),
  /** Alarm when a CockroachDB node's first certificate to expire, or a certificate an Ory service presents, has fewer days left. */
  certificateExpiryAlarmDays: z.number(),
  /** Alarm when a CockroachDB data volume has less free space, percent. */
  dataVolumeFreeSpaceAlarmPercent: z.number(),
  /** Alarm when no scheduled CockroachDB backup completed for this many hours (schedules.BACKUP.last-completed-time, as the nodes publish it). */
  backupMissingAlarmHours: z.number(),
});

export type MonitoringConfig = z.infer<typeof monitoringConfig>;

export const MONITORING_DEFAULTS: MonitoringConfig = {
  enabled: true,
  alarmSubscriptions: [],
  certificateExpiryAlarmDays: DEFAULT_COCKROACH_ALARMS.certificateExpiryDays,
  dataVolumeFreeSpaceAlarmPercent: DEFAULT_COCKROACH_ALARMS.dataVolumeFreePercent,
  backupMissingAlarmHours: DEFAULT_STALE_BACKUP_ALARM_HOURS,
};

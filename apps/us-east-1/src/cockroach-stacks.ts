import { CockroachBackupStack, CockroachPkiStack, CockroachStack } from '@crdb-ory/cockroach';
import { COCKROACH_ALARMS, COCKROACH_BACKUP_SCHEDULE, suppressRule } from '@crdb-ory/policy';
import { onDemandStandardVcpus } from './on-demand-vcpus';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';
import { stateBackendOf } from './state-backend';

/** The `cockroach-pki`, `cockroach-backup` (unless backups are off) and `cockroach` stacks from the `cockroach` and `monitoring` config sections. */
export function buildCockroachStacks(app: App, config: DeploymentConfig): void {
  const c = config.cockroach;
  const m = config.monitoring;
  const common = {
    region: config.region,
    tags: config.tags,
    stateBackend: stateBackendOf(config),
    namePrefix: config.namePrefix,
    sqlUsers: c.sqlUsers,
  };
  new CockroachPkiStack(app, { ...common, ...c.certificates, secretReaderArns: c.secretReaderArns, secretRecoveryWindowDays: c.secretRecoveryWindowDays });
  if (c.backup.enabled) {
    new CockroachBackupStack(app, {
      region: config.region,
      tags: config.tags,
      stateBackend: stateBackendOf(config),
      namePrefix: config.namePrefix,
      bucketName: c.backup.bucketName,
      retentionDays: c.backup.retentionDays,
      noncurrentRetentionDays: c.backup.noncurrentRetentionDays,
      objectLock: c.backup.objectLock,
      staleBackupAlarmHours: m.enabled ? m.backupMissingAlarmHours : false,
    });
  }
  const cluster = new CockroachStack(app, {
    ...common,
    cockroachVersion: c.version,
    cockroachSha256: c.binarySha256,
    instanceType: c.instanceType,
    otherOnDemandVcpus: onDemandStandardVcpus(config).eks,
    adminCidrs: c.adminCidrs,
    licenseSecretArn: c.licenseSecretArn,
    dataVolumeSizeGiB: c.dataVolume.sizeGiB,
    dataVolumeIops: c.dataVolume.iops,
    dataVolumeThroughputMiBps: c.dataVolume.throughputMiBps,
    drain: c.drain,
    backupSchedule: c.backup.enabled
      ? { label: c.backup.scheduleLabel, fullBackupCrontab: c.backup.fullBackupCrontab, incrementalCrontab: c.backup.incrementalCrontab, revisionHistory: c.backup.revisionHistory }
      : false,
    alarms: m.enabled ? { certificateExpiryDays: m.certificateExpiryAlarmDays, dataVolumeFreePercent: m.dataVolumeFreeSpaceAlarmPercent } : false,
    operations: c.operations,
  });
  // Turning backups or alarms off is allowed only as an explicit, reasoned exception the review lists.
  if (!c.backup.enabled) suppressRule(cluster, COCKROACH_BACKUP_SCHEDULE.id, `cockroach.backup.disabledReason: ${c.backup.disabledReason ?? ''}`);
  if (!m.enabled) suppressRule(cluster, COCKROACH_ALARMS.id, `monitoring.disabledReason: ${m.disabledReason ?? ''}`);
}

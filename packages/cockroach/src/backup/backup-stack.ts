import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { ProductAlarm, ProductStack, ProductStackProps, PropProblem, configureAwsProvider, publishOutputs, throwIfProblems } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Construct } from 'constructs';
import { CLUSTER_METRIC, NODE_METRICS_NAMESPACE, clusterMetricDimensions } from '../cluster/node-metrics';
import { DEFAULT_NAME_PREFIX } from '../common-props';
import { BackupObjectLock, CockroachBackupBucket } from './backup-bucket';
import { COCKROACH_BACKUP_OUTPUTS, COCKROACH_BACKUP_STACK_NAME, regionalBackupOutputs } from './backup-outputs';
import { BackupReplication, backupReplicaTargetProblems } from './backup-replication';

export interface CockroachBackupStackProps extends ProductStackProps {
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  /** @default 'crdb-ory' */
  readonly namePrefix?: string;
  /** @default `<namePrefix>-backups-<account id>-<region>` */
  readonly bucketName?: string;
  /** Days a backup object is kept (the restore window is one full-backup interval shorter). @default 30 */
  readonly retentionDays?: number;
  /** Days an expired, overwritten or deleted backup object stays recoverable (S3 versioning). @default 30 */
  readonly noncurrentRetentionDays?: number;
  /** Object Lock default retention (WORM). @default none */
  readonly objectLock?: BackupObjectLock;
  /**
   * Alarms on CockroachDB's own backup signals, which every node of the cluster named `namePrefix`
   * publishes (node-metrics.ts, CLUSTER_METRIC), on the network stack's alarm topic: a scheduled
   * backup failed (`schedules.BACKUP.failed`), and no scheduled backup completed for this many
   * hours (`schedules.BACKUP.last-completed-time`). `false` for no alarms.
   * @default 3 (hourly incrementals missed three times)
   */
  readonly staleBackupAlarmHours?: number | false;
  /**
   * Replicate every backup to another region's backup bucket (S3 live replication, see
   * `BackupReplication`): the bucket of the `CockroachBackupStack` named `stackName` in that
   * region (the app's `stackNames` names it), deployed first, read through its outputs contract
   * (`regionalBackupOutputs`). Opt-in: replication doubles the storage and adds inter-region
   * transfer. The replica stack should have the same retention settings.
   * @default none (backups stay in this region)
   */
  readonly replicateTo?: BackupReplicaStack;
}

/** The backup stack of another region that holds the replicas (`replicateTo`). */
export interface BackupReplicaStack {
  /** Its region (a literal). */
  readonly region: string;
  /** Its stack name (what the app's `stackNames` names it): the primary's stack reads its `regionalBackupOutputs` (bucket and key ARNs). */
  readonly stackName: string;
}

export const DEFAULT_BACKUP_RETENTION_DAYS = 30;
export const DEFAULT_STALE_BACKUP_ALARM_HOURS = 3;

/**
 * The `cockroach-backup` stack: the bucket (and KMS key) the cluster's backup schedule writes
 * to, apart from the cluster so that destroying, re-creating or replacing the `cockroach` stack
 * (or restoring into a new cluster) leaves every backup in place. Deploy it before `cockroach`.
 */
export class CockroachBackupStack extends ProductStack {
  readonly backupBucket: CockroachBackupBucket;
  /** The replication to `replicateTo`, when given. */
  readonly replication?: BackupReplication;

  constructor(scope: Construct, props: CockroachBackupStackProps) {
    // Named as the app names it (`stackNames`: a multi-region app gives each region's backup stack its own).
    super(scope, COCKROACH_BACKUP_STACK_NAME, props);
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const retentionDays = props.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const noncurrentRetentionDays = props.noncurrentRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const staleHours = props.staleBackupAlarmHours ?? DEFAULT_STALE_BACKUP_ALARM_HOURS;
    throwIfProblems(this, [
      ...backupBucketProblems({ bucketName: props.bucketName, retentionDays, noncurrentRetentionDays, objectLock: props.objectLock }),
      ...(staleHours === false ? [] : staleBackupAlarmHoursProblems('staleBackupAlarmHours', staleHours)),
      ...(props.replicateTo ? backupReplicaTargetProblems(props.replicateTo.region, props.region) : []),
      // Replicating Object Lock-protected objects needs Object Lock on the replica bucket and more role permissions (S3 User Guide, "Using Object Lock with S3 Replication"): not built here.
      ...(props.replicateTo && props.objectLock ? [{ prop: 'replicateTo', value: props.replicateTo.region, message: 'cannot be combined with objectLock in this version (replicating locked objects needs Object Lock on the replica bucket and s3:GetObjectRetention/s3:GetObjectLegalHold for the role): choose one' }] : []),
    ]);
    configureAwsProvider(this, { region: props.region, tags: props.tags });

    this.backupBucket = new CockroachBackupBucket(this, 'backups', {
      bucketName: props.bucketName ?? this.defaultBucketName(prefix),
      kmsKeyAlias: `${prefix}-cockroach-backups`,
      retentionDays,
      noncurrentRetentionDays,
      objectLock: props.objectLock,
    });
    if (staleHours !== false) this.backupAlarms(prefix, staleHours);
    if (props.replicateTo) {
      const replica = this.readUpstream(regionalBackupOutputs(props.replicateTo.stackName));
      this.replication = new BackupReplication(this, 'replication', {
        roleName: `${prefix}-cockroach-backup-replication`,
        sourceBucket: this.backupBucket.bucket.id,
        sourceBucketArn: this.backupBucket.bucket.arn,
        sourceKmsKeyArn: this.backupBucket.kmsKey.arn,
        sourceRegion: props.region,
        sourceVersioning: this.backupBucket.versioning,
        target: { region: props.replicateTo.region, bucketArn: replica.bucketArn, kmsKeyArn: replica.kmsKeyArn },
      });
    }
    publishOutputs(this, this.contractOf(COCKROACH_BACKUP_OUTPUTS), {
      bucketName: this.backupBucket.bucket.bucket,
      bucketArn: this.backupBucket.bucket.arn,
      kmsKeyArn: this.backupBucket.kmsKey.arn,
    });
  }

  /**
   * Not the bucket's writes: a failing backup job writes its lock and checkpoint files before it
   * fails. CockroachDB's own signals instead ("Backup and Restore Monitoring"), as every node
   * publishes them, aggregated over the nodes (one down leaves the others' datapoints):
   * - a failed scheduled backup: the Sum of the failures the nodes counted in the hour;
   * - the age of the last completed one: the Minimum over an hour (at least the hourly
   *   incremental interval, as the metric's "how to use" says for the max over nodes and time of
   *   the timestamp) of the hours since it, above the threshold; no datapoint at all (no node
   *   completed a backup since it started, or none publishes) breaches too.
   */
  private backupAlarms(prefix: string, hours: number): void {
    const network = this.readUpstream(NETWORK_OUTPUTS);
    const dimensions = clusterMetricDimensions(prefix);
    new ProductAlarm(this, 'backup-failed', {
      alarmName: `${prefix}-cockroach-backup-failed`,
      topicArn: network.alarmTopicArn,
      summary: 'A scheduled CockroachDB backup job failed in the last hour (schedules.BACKUP.failed increased on a node): SHOW SCHEDULES shows the error.',
      runbookAnchor: 'alarm-backup-failed',
      namespace: NODE_METRICS_NAMESPACE,
      metricName: CLUSTER_METRIC.backupScheduleFailures,
      dimensions,
      statistic: 'Sum',
      period: 3600,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      // No datapoint: no node published its counter; the no-recent-backup alarm covers that.
      treatMissingData: 'notBreaching',
    });
    new ProductAlarm(this, 'no-recent-backup', {
      alarmName: `${prefix}-cockroach-no-recent-backup`,
      topicArn: network.alarmTopicArn,
      summary: `No scheduled CockroachDB backup completed for more than ${hours} h (schedules.BACKUP.last-completed-time on every node), or no node publishes it: backups are failing, stuck, paused or gone.`,
      runbookAnchor: 'alarm-no-recent-backup',
      namespace: NODE_METRICS_NAMESPACE,
      metricName: CLUSTER_METRIC.lastCompletedBackupAgeHours,
      dimensions,
      statistic: 'Minimum',
      period: 3600,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: hours,
      treatMissingData: 'breaching',
    });
  }

  private defaultBucketName(prefix: string): string {
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const region = new DataAwsRegion(this, 'region').name;
    return `${prefix}-backups-${account}-${region}`;
  }
}

export interface BackupBucketSettings {
  readonly bucketName?: string;
  readonly retentionDays: number;
  readonly noncurrentRetentionDays: number;
  readonly objectLock?: BackupObjectLock;
}

/** The longest retention S3 lifecycle rules are given here: 100 years. */
export const MAX_BACKUP_RETENTION_DAYS = 36500;

/** Every reason AWS would refuse the bucket settings, each under its prop (`objectLock.days`). */
export function backupBucketProblems(s: BackupBucketSettings): PropProblem[] {
  const problems: PropProblem[] = [];
  const days = (prop: string, value: number, max: number): void => {
    if (!Number.isInteger(value) || value < 1 || value > max) problems.push({ prop, value, message: `allowed are whole days from 1 to ${max}` });
  };
  if (s.bucketName !== undefined && !/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s.bucketName)) {
    problems.push({ prop: 'bucketName', value: s.bucketName, message: 'allowed is an S3 bucket name, 3-63 of a-z, 0-9, "." and "-", starting and ending with a letter or digit' });
  }
  days('retentionDays', s.retentionDays, MAX_BACKUP_RETENTION_DAYS);
  days('noncurrentRetentionDays', s.noncurrentRetentionDays, MAX_BACKUP_RETENTION_DAYS);
  if (s.objectLock) {
    if (s.objectLock.mode !== 'GOVERNANCE' && s.objectLock.mode !== 'COMPLIANCE') problems.push({ prop: 'objectLock.mode', value: s.objectLock.mode, message: 'allowed are GOVERNANCE and COMPLIANCE' });
    days('objectLock.days', s.objectLock.days, s.retentionDays);
  }
  return problems;
}

/** Hourly periods, at most 7 days of them: what a CloudWatch alarm can evaluate. */
export function staleBackupAlarmHoursProblems(prop: string, hours: number): PropProblem[] {
  return Number.isInteger(hours) && hours >= 1 && hours <= 168
    ? []
    : [{ prop, value: hours, message: 'allowed are whole hours from 1 to 168 (CloudWatch evaluates at most 7 days of hourly periods)' }];
}

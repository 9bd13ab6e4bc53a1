import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { S3BucketMetric } from '@cdktf/provider-aws/lib/s3-bucket-metric';
import { ProductAlarm, ProductStack, ProductStackProps, configureAwsProvider, publishOutputs } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Construct } from 'constructs';
import { DEFAULT_NAME_PREFIX } from '../common-props';
import { BackupObjectLock, CockroachBackupBucket } from './backup-bucket';
import { COCKROACH_BACKUP_OUTPUTS, COCKROACH_BACKUP_STACK_NAME } from './backup-outputs';
import { BACKUP_COLLECTIONS_PREFIX } from './backup-schedule';

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
   * Alarm when no backup object was written to the bucket for this many hours (S3 request
   * metrics on `clusters/`), on the network stack's alarm topic; `false` for no alarm.
   * @default 3 (hourly incrementals missed three times)
   */
  readonly staleBackupAlarmHours?: number | false;
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

  constructor(scope: Construct, props: CockroachBackupStackProps) {
    super(scope, COCKROACH_BACKUP_STACK_NAME, props);
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const retentionDays = props.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const noncurrentRetentionDays = props.noncurrentRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const staleHours = props.staleBackupAlarmHours ?? DEFAULT_STALE_BACKUP_ALARM_HOURS;
    validateBackupBucketSettings({ bucketName: props.bucketName, retentionDays, noncurrentRetentionDays, objectLock: props.objectLock });
    if (staleHours !== false) validateStaleBackupAlarmHours('staleBackupAlarmHours', staleHours);
    configureAwsProvider(this, { region: props.region, tags: props.tags });

    this.backupBucket = new CockroachBackupBucket(this, 'backups', {
      bucketName: props.bucketName ?? this.defaultBucketName(prefix),
      kmsKeyAlias: `${prefix}-cockroach-backups`,
      retentionDays,
      noncurrentRetentionDays,
      objectLock: props.objectLock,
    });
    if (staleHours !== false) this.staleBackupAlarm(prefix, staleHours);
    publishOutputs(this, COCKROACH_BACKUP_OUTPUTS, {
      bucketName: this.backupBucket.bucket.bucket,
      bucketArn: this.backupBucket.bucket.arn,
      kmsKeyArn: this.backupBucket.kmsKey.arn,
    });
  }

  /** Every backup (full or incremental) writes objects under clusters/: none for hours means none succeeded. */
  private staleBackupAlarm(prefix: string, hours: number): void {
    const network = this.readUpstream(NETWORK_OUTPUTS);
    const bucket = this.backupBucket.bucket.bucket;
    const metric = new S3BucketMetric(this, 'backup-writes', { bucket, name: 'backup-writes', filter: { prefix: `${BACKUP_COLLECTIONS_PREFIX}/` } });
    new ProductAlarm(this, 'no-recent-backup', {
      alarmName: `${prefix}-cockroach-no-recent-backup`,
      topicArn: network.alarmTopicArn,
      summary: `No CockroachDB backup object was written to the backup bucket for ${hours} h: scheduled backups are failing, paused or gone.`,
      runbookAnchor: 'alarm-no-recent-backup',
      namespace: 'AWS/S3',
      metricName: 'PutRequests',
      dimensions: { BucketName: bucket, FilterId: metric.name },
      statistic: 'Sum',
      period: 3600,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // No request at all publishes no datapoint: missing data is the failure this alarm is for.
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

/** Throws (naming the setting, the value and what is allowed) unless AWS can accept the settings. */
export function validateBackupBucketSettings(s: BackupBucketSettings, prefix = ''): void {
  const days = (setting: string, value: number, max: number): void => {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`Invalid ${prefix}${setting} ${value}: allowed are whole days from 1 to ${max}.`);
  };
  if (s.bucketName !== undefined && !/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s.bucketName)) {
    throw new Error(`Invalid ${prefix}bucketName "${s.bucketName}": allowed is an S3 bucket name, 3-63 of a-z, 0-9, "." and "-", starting and ending with a letter or digit.`);
  }
  days('retentionDays', s.retentionDays, 36500);
  days('noncurrentRetentionDays', s.noncurrentRetentionDays, 36500);
  if (s.objectLock) {
    if (s.objectLock.mode !== 'GOVERNANCE' && s.objectLock.mode !== 'COMPLIANCE') throw new Error(`Invalid ${prefix}objectLock.mode "${s.objectLock.mode}": allowed are GOVERNANCE and COMPLIANCE.`);
    days('objectLock.days', s.objectLock.days, s.retentionDays);
  }
}

/** Hourly periods, at most 7 days of them: what a CloudWatch alarm can evaluate. */
export function validateStaleBackupAlarmHours(setting: string, hours: number): void {
  if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
    throw new Error(`Invalid ${setting} ${hours}: allowed are whole hours from 1 to 168 (CloudWatch evaluates at most 7 days of hourly periods).`);
  }
}

import { assert, describe, expect, it } from 'vitest';
import { COCKROACH_BACKUP_OUTPUTS } from '../src';
import { terraformOutputNames } from './contract';
import { Template } from '@crdb-ory/core/testing';
import { synthBackup } from './synth';

const json = synthBackup();
const bucketRef = `\${${Template.fromJSON(json).only('aws_s3_bucket', 'backups_bucket_').address}.id}`;
const keyArn = `\${${Template.fromJSON(json).only('aws_kms_key', 'backups_kms-key_').address}.arn}`;

describe('cockroach-backup stack: the bucket', () => {
  it('is named per account and region, and never force-destroyed (S3 refuses to delete it while it holds a backup)', () => {
    const bucket = Template.fromJSON(json).only('aws_s3_bucket', 'backups_bucket_').config;
    expect(bucket.bucket).toBe('crdb-ory-backups-${data.aws_caller_identity.account.account_id}-${data.aws_region.region.name}');
    expect(bucket.force_destroy).toBe(false);
    expect(bucket.object_lock_enabled).toBeUndefined();
    expect(synthBackup({ bucketName: 'acme-crdb-backups' }).resource.aws_s3_bucket).toMatchObject({ [Object.keys(json.resource.aws_s3_bucket)[0]]: { bucket: 'acme-crdb-backups' } });
  });

  it('encrypts every object with its own KMS key (rotation on, 30-day deletion window) and an S3 bucket key', () => {
    expect(Template.fromJSON(json).only('aws_kms_key', 'backups_kms-key_').config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(Template.fromJSON(json).only('aws_s3_bucket_server_side_encryption_configuration', 'backups_encryption_').config).toEqual(
      expect.objectContaining({ bucket: bucketRef, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyArn }, bucket_key_enabled: true }] }),
    );
  });

  it('is versioned, blocks public access on all four counts, has no ACLs, and refuses requests without TLS', () => {
    expect(Template.fromJSON(json).only('aws_s3_bucket_versioning', 'backups_versioning_').config.versioning_configuration).toEqual({ status: 'Enabled' });
    expect(Template.fromJSON(json).only('aws_s3_bucket_public_access_block', 'backups_public-access-block_').config).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(Template.fromJSON(json).only('aws_s3_bucket_ownership_controls', 'backups_ownership_').config.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const [statement, ...others] = JSON.parse(Template.fromJSON(json).only('aws_s3_bucket_policy', 'backups_tls-only_').config.policy as string).Statement;
    expect(others).toEqual([]);
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('expires backups after 30 days and keeps expired or overwritten ones recoverable 30 more, by default; both configurable', () => {
    const rules = Template.fromJSON(json).only('aws_s3_bucket_lifecycle_configuration', 'backups_retention_').config.rule;
    expect(rules[0]).toMatchObject({ id: 'expire-backups', status: 'Enabled', filter: [{ prefix: 'clusters/' }], expiration: [{ days: 30 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
    const custom = Template.fromJSON(synthBackup({ retentionDays: 90, noncurrentRetentionDays: 7 })).only('aws_s3_bucket_lifecycle_configuration', 'backups_retention_').config.rule;
    expect(custom[0]).toMatchObject({ expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 7 }] });
  });

  it('adds Object Lock default retention only when asked, as its own resource (the bucket is never replaced for it)', () => {
    expect(json.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();
    const locked = synthBackup({ objectLock: { mode: 'COMPLIANCE', days: 14 } });
    expect(Template.fromJSON(locked).all('aws_s3_bucket_object_lock_configuration')).toEqual([expect.objectContaining({ rule: { default_retention: { mode: 'COMPLIANCE', days: 14 } } })]);
    const [lockedBucket] = Template.fromJSON(locked).all('aws_s3_bucket');
    assert.exists(lockedBucket, 'an aws_s3_bucket');
    expect(lockedBucket.object_lock_enabled).toBeUndefined();
  });

  it('refuses settings S3 would reject, naming the setting, the value and what is allowed', () => {
    expect(() => synthBackup({ bucketName: 'Bad_Name' })).toThrow(/bucketName = "Bad_Name": allowed is an S3 bucket name/);
    expect(() => synthBackup({ retentionDays: 0 })).toThrow(/retentionDays = 0: allowed are whole days from 1 to 36500/);
    expect(() => synthBackup({ objectLock: { mode: 'GOVERNANCE', days: 60 } })).toThrow(/objectLock.days = 60: allowed are whole days from 1 to 30/);
    expect(() => synthBackup({ staleBackupAlarmHours: 500 })).toThrow(/staleBackupAlarmHours = 500: allowed are whole hours from 1 to 168/);
  });
});

describe('cockroach-backup stack: alarms on CockroachDB\'s own backup signals', () => {
  const alarm = (prefix: string) => Template.fromJSON(json).only('aws_cloudwatch_metric_alarm', prefix).config;
  const topic = '${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}';

  it('alarms when a scheduled backup failed in the last hour: the Sum of the failures every node counted (schedules.BACKUP.failed)', () => {
    expect(alarm('backup-failed_alarm_')).toMatchObject({
      alarm_name: 'crdb-ory-cockroach-backup-failed',
      namespace: 'CrdbOry/CockroachDB',
      metric_name: 'BackupScheduleFailures',
      dimensions: { ClusterName: 'crdb-ory' },
      statistic: 'Sum',
      period: 3600,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
      alarm_actions: [topic],
    });
    expect(alarm('backup-failed_alarm_').alarm_description).toMatch(/Runbook: docs\/operations\.md#alarm-backup-failed$/);
  });

  it('alarms when no node has completed a scheduled backup for 3 hours (schedules.BACKUP.last-completed-time), no datapoint at all included', () => {
    expect(alarm('no-recent-backup_alarm_')).toMatchObject({
      alarm_name: 'crdb-ory-cockroach-no-recent-backup',
      namespace: 'CrdbOry/CockroachDB',
      metric_name: 'LastCompletedBackupAgeHours',
      dimensions: { ClusterName: 'crdb-ory' },
      statistic: 'Minimum',
      period: 3600,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 3,
      treat_missing_data: 'breaching',
      alarm_actions: [topic],
    });
    expect(alarm('no-recent-backup_alarm_').alarm_description).toMatch(/Runbook: docs\/operations\.md#alarm-no-recent-backup$/);
    expect(Template.fromJSON(synthBackup({ staleBackupAlarmHours: 25 })).only('aws_cloudwatch_metric_alarm', 'no-recent-backup_alarm_').config.threshold).toBe(25);
  });

  it('no longer counts writes to the bucket: a failing job writes its lock and checkpoint files too', () => {
    expect(json.resource.aws_s3_bucket_metric).toBeUndefined();
    expect(JSON.stringify(json.resource.aws_cloudwatch_metric_alarm)).not.toContain('AWS/S3');
  });

  it('can be left out; then the stack reads nothing upstream', () => {
    const quiet = synthBackup({ staleBackupAlarmHours: false });
    expect(quiet.resource.aws_cloudwatch_metric_alarm).toBeUndefined();
    expect(quiet.data?.terraform_remote_state).toBeUndefined();
  });
});

describe('cockroach-backup stack: outputs', () => {
  it('publishes exactly its contract', () => {
    expect(Object.keys(json.output).sort()).toEqual(terraformOutputNames(COCKROACH_BACKUP_OUTPUTS));
  });

  it('matches the all-defaults snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});

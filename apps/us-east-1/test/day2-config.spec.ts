import { Template } from '@crdb-ory/core/testing';
import { COCKROACH_ALARMS, COCKROACH_BACKUP_SCHEDULE } from '@crdb-ory/policy';
import { CockroachStack } from '@crdb-ory/cockroach';
import { App } from 'cdktf';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { DeploymentConfig, resolveConfig } from '../src/config';
import { buildStacks } from '../src/stacks';
import { synthesizeAll } from '../src/synthesize';
import { COCKROACH_DEFAULTS } from '@crdb-ory/deployment';
import { MONITORING_DEFAULTS } from '@crdb-ory/deployment';
import { WORKSPACE_ROOT, deployableIssueLinesOf, deployableIssuesOf, stackJson, synthesizeTo, tempDir, withOperatorAccess } from './helpers';

const alarmNames = (json: Record<string, any>): string[] => Template.fromJSON(json).all('aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort();

describe('configuration: backups (cockroach.backup)', () => {
  it('defaults to backups on: daily full, hourly incremental, revision_history, 30 days kept, no Object Lock', () => {
    const backup = resolveConfig(undefined).cockroach.backup;
    expect(backup).toEqual({ enabled: true, scheduleLabel: 'crdb_ory_backup', fullBackupCrontab: '@daily', incrementalCrontab: '@hourly', revisionHistory: true, retentionDays: 30, noncurrentRetentionDays: 30 });
  });

  it('passes the schedule, bucket and retention settings through to the stacks', () => {
    const outdir = synthesizeTo(withOperatorAccess({ cockroach: { backup: { fullBackupCrontab: '0 3 * * 0', incrementalCrontab: '@daily', revisionHistory: false, bucketName: 'acme-crdb-backups', retentionDays: 90, objectLock: { mode: 'GOVERNANCE', days: 14 } } }, monitoring: { backupMissingAlarmHours: 26 } }));
    const backup = stackJson(outdir, 'cockroach-backup');
    expect(Object.values<any>(backup.resource.aws_s3_bucket)[0].bucket).toBe('acme-crdb-backups');
    expect(Object.values<any>(backup.resource.aws_s3_bucket_object_lock_configuration)[0].rule).toEqual({ default_retention: { mode: 'GOVERNANCE', days: 14 } });
    expect(Object.values<any>(backup.resource.aws_cloudwatch_metric_alarm).find((a) => a.alarm_name === 'crdb-ory-cockroach-no-recent-backup').threshold).toBe(26);
    const userDataLocal = Object.entries<string>(stackJson(outdir, 'cockroach').locals).find(([k]) => k.startsWith('node-1_user-data'));
    assert.exists(userDataLocal, 'a node-1_user-data local');
    const [, userData] = userDataLocal;
    expect(userData).toContain("RECURRING '@daily'\n  FULL BACKUP '0 3 * * 0'");
    expect(userData).toContain('WITH revision_history = false');
  });

  it('refuses settings that cannot work, naming the setting', () => {
    expect(deployableIssueLinesOf({ cockroach: { backup: { incrementalCrontab: 'hourly' } } })).toEqual([expect.stringMatching(/^cockroach\.backup\.incrementalCrontab: allowed are @yearly.* \(got "hourly"\)$/)]);
    expect(deployableIssueLinesOf({ cockroach: { backup: { scheduleLabel: 'Nightly Backup' } } })).toEqual([expect.stringMatching(/^cockroach\.backup\.scheduleLabel: allowed are 1-63.* \(got "Nightly Backup"\)$/)]);
    expect(deployableIssueLinesOf({ cockroach: { backup: { objectLock: { mode: 'COMPLIANCE', days: 45 } } } })).toEqual(['cockroach.backup.objectLock.days: allowed are whole days from 1 to 30 (got 45)']);
    expect(deployableIssueLinesOf({ cockroach: { backup: { bucketName: 'UPPER' } } })).toEqual([expect.stringMatching(/^cockroach\.backup\.bucketName: allowed is an S3 bucket name.* \(got "UPPER"\)$/)]);
  });

  it('turning backups off needs a reason; then there is no backup stack, and the gate lists the suppression with that reason', () => {
    expect(deployableIssuesOf({ cockroach: { backup: { enabled: false } } })).toEqual([expect.stringMatching(/^cockroach\.backup\.disabledReason: is required when cockroach\.backup\.enabled is false/)]);
    expect(deployableIssuesOf({ cockroach: { backup: { disabledReason: 'because' } } })).toEqual(['cockroach.backup.disabledReason: is allowed only with cockroach.backup.enabled false']);
    const config = resolveConfig(withOperatorAccess({ cockroach: { backup: { enabled: false, disabledReason: 'ephemeral load-test cluster, rebuilt daily' } } }));
    const result = synthesizeAll(config, join(tempDir('no-backup'), 'cdktf.out'));
    const cockroach = result.policy.find((r) => r.stackName === 'cockroach');
    assert.exists(cockroach, 'the policy report of the cockroach stack');
    expect(cockroach.findings).toEqual([]);
    expect(cockroach.suppressed.map((f) => [f.ruleId, f.reason])).toEqual([[COCKROACH_BACKUP_SCHEDULE.id, 'cockroach.backup.disabledReason: ephemeral load-test cluster, rebuilt daily']]);
    expect(result.policy.map((r) => r.stackName)).not.toContain('cockroach-backup');
  });
});

describe('configuration: alarms (monitoring)', () => {
  it('defaults: alarms on, nobody subscribed (a warning says so), 30 days to certificate expiry, 20 % free space, 3 hours without a backup', () => {
    expect(resolveConfig(undefined).monitoring).toEqual({ enabled: true, alarmSubscriptions: [], certificateExpiryAlarmDays: 30, dataVolumeFreeSpaceAlarmPercent: 20, backupMissingAlarmHours: 3 });
  });

  it('subscribes the configured endpoints to the one topic and passes the thresholds to the alarms', () => {
    const outdir = synthesizeTo(withOperatorAccess({ monitoring: { alarmSubscriptions: [{ protocol: 'email', endpoint: 'dba@example.com' }], certificateExpiryAlarmDays: 21, dataVolumeFreeSpaceAlarmPercent: 25 } }));
    expect(Object.values<any>(stackJson(outdir, 'network').resource.aws_sns_topic_subscription).map((s) => [s.protocol, s.endpoint])).toEqual([['email', 'dba@example.com']]);
    const alarms = Object.values<any>(stackJson(outdir, 'cockroach').resource.aws_cloudwatch_metric_alarm);
    expect(alarms.find((a) => a.alarm_name === 'crdb-ory-cockroach-node-2-certificate-expiry').threshold).toBe(21);
    expect(alarms.find((a) => a.alarm_name === 'crdb-ory-cockroach-node-3-data-volume-free-space').threshold).toBe(25);
  });

  it('refuses thresholds that cannot work together, naming the setting', () => {
    expect(deployableIssuesOf({ monitoring: { certificateExpiryAlarmDays: 45 } })).toEqual([
      expect.stringMatching(/^monitoring\.certificateExpiryAlarmDays: must be at most cockroach\.certificates\.earlyRenewalHours \/ 24 \(30 days\)/),
    ]);
    expect(deployableIssuesOf({ monitoring: { backupMissingAlarmHours: 1 } })).toEqual([expect.stringMatching(/^monitoring\.backupMissingAlarmHours: must be more than the interval of cockroach\.backup\.incrementalCrontab \(@hourly: 1 h\)/)]);
    expect(deployableIssueLinesOf({ monitoring: { alarmSubscriptions: [{ protocol: 'email', endpoint: 'nobody' }] } })).toEqual(['monitoring.alarmSubscriptions[0].endpoint: protocol email needs an email address (got "nobody")']);
    expect(deployableIssueLinesOf({ monitoring: { dataVolumeFreeSpaceAlarmPercent: 0 } })).toEqual(['monitoring.dataVolumeFreeSpaceAlarmPercent: allowed is a percentage above 0 and below 100 (got 0)']);
  });

  it('turning alarms off needs a reason; then no stack has an alarm and the gate lists the suppression with that reason', () => {
    expect(deployableIssuesOf({ monitoring: { enabled: false } })).toEqual([expect.stringMatching(/^monitoring\.disabledReason: is required when monitoring\.enabled is false/)]);
    const config = resolveConfig(withOperatorAccess({ publicAccessCidrs: ['203.0.113.0/24'], monitoring: { enabled: false, disabledReason: 'dev sandbox, watched by the platform team elsewhere' } }));
    const outdir = join(tempDir('no-alarms'), 'cdktf.out');
    const result = synthesizeAll(config, outdir);
    for (const stack of ['cockroach', 'cockroach-backup', 'eks', 'ory']) expect(alarmNames(stackJson(outdir, stack)), stack).toEqual([]);
    const cockroach = result.policy.find((r) => r.stackName === 'cockroach');
    assert.exists(cockroach, 'the policy report of the cockroach stack');
    expect(cockroach.suppressed.map((f) => f.ruleId)).toEqual([COCKROACH_ALARMS.id, COCKROACH_ALARMS.id, COCKROACH_ALARMS.id, COCKROACH_ALARMS.id]);
  });

  it('every stack with alarms sends them to the network stack\'s one topic', () => {
    const outdir = synthesizeTo(withOperatorAccess({ publicAccessCidrs: ['203.0.113.0/24'] }));
    for (const stack of ['cockroach', 'cockroach-backup', 'eks', 'ory']) {
      const alarms = Object.values<any>(stackJson(outdir, stack).resource.aws_cloudwatch_metric_alarm);
      expect(alarms.length, stack).toBeGreaterThan(0);
      for (const alarm of alarms) expect(alarm.alarm_actions[0], `${stack} ${alarm.alarm_name}`).toBe('${data.terraform_remote_state.remote-state-network.outputs.alarm_topic_arn}');
    }
  });
});

describe('policy gate: a cluster without backups or alarms fails unless suppressed with a reason', () => {
  const config: DeploymentConfig = resolveConfig(undefined);
  const without = (props: { backupSchedule?: false; alarms?: false }) => (app: App, c: DeploymentConfig): void => {
    buildStacks(app, c);
    const cluster = app.node.findChild('cockroach') as CockroachStack;
    app.node.tryRemoveChild(cluster.node.id);
    new CockroachStack(app, { region: c.region, tags: c.tags, stateBackend: { type: 'local' }, ...props });
  };

  it('fails synthesis of a cluster built without a backup schedule (a library user forgetting it), naming CRDB-BACKUP-001', () => {
    expect(() => synthesizeAll(config, join(tempDir('gate-backup'), 'cdktf.out'), without({ backupSchedule: false }))).toThrow(/CRDB-BACKUP-001 aws_instance\.node-1_instance_[0-9A-F]+ \(cockroach\/node-1\/instance\): none of the 3 CockroachDB nodes creates a backup schedule/);
  });

  it('fails synthesis of a cluster built without alarms, naming CRDB-MON-001 for every node and the SQL targets', () => {
    expect(() => synthesizeAll(config, join(tempDir('gate-alarms'), 'cdktf.out'), without({ alarms: false }))).toThrow(/policy gate: 4 violation\(s\) in stack "cockroach"[\s\S]*CRDB-MON-001[\s\S]*SQL targets/);
  });
});

describe('configuration docs', () => {
  const settings = readFileSync(join(WORKSPACE_ROOT, 'docs/configuration.md'), 'utf8');
  const guide = readFileSync(join(WORKSPACE_ROOT, 'docs/cockroach.md'), 'utf8');

  it('docs/configuration.md documents every monitoring setting and the backup section', () => {
    for (const key of [...Object.keys(MONITORING_DEFAULTS), 'disabledReason']) expect(settings).toMatch(new RegExp(`\\| [^|\\n]*\`monitoring\\.${key}\`[^|\\n]*\\|`));
    expect(settings).toContain('| `cockroach.backup.*` |');
  });

  it('docs/cockroach.md documents every backup setting', () => {
    const rows = guide.split('\n').filter((line) => line.startsWith('| `backup'));
    for (const key of [...Object.keys(COCKROACH_DEFAULTS.backup), 'disabledReason', 'bucketName', 'objectLock']) {
      expect(rows.some((row) => row.split('|')[1].includes(`\`backup.${key}\``) || row.split('|')[1].includes(`\`${key}\``)), key).toBe(true);
    }
  });
});

import { assert, describe, expect, it } from 'vitest';
import { DEFAULT_BACKUP_SCHEDULE, nodeRolloutAddresses } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { Json, everyRolePolicyStatement, policyNamed, synthCluster } from './synth';

const json = synthCluster();
const NETWORK = 'data.terraform_remote_state.remote-state-network.outputs';
const BACKUP = 'data.terraform_remote_state.remote-state-cockroach-backup.outputs';
const TOPIC = `\${${NETWORK}.alarm_topic_arn}`;

const userData = (j: Json, n: number): string => {
  const key = Object.keys(j.locals).find((k) => k.startsWith(`node-${n}_user-data_`));
  assert.exists(key, `a node-${n}_user-data_ local`);
  return j.locals[key];
};
const alarms = (j: Json): Json[] => Template.fromJSON(j).all('aws_cloudwatch_metric_alarm');
const alarmNamed = (j: Json, name: string): Json => {
  const found = alarms(j).filter((a) => a.alarm_name === name);
  if (found.length !== 1) throw new Error(`expected one alarm ${name}, found ${found.length}`);
  return found[0];
};

describe('cockroach stack: backups', () => {
  it("node 1's bootstrap creates the schedule into the backup stack's bucket, in the cluster's own collection, with the instance role", () => {
    const text = userData(json, 1);
    expect(text).toContain(`CREATE SCHEDULE IF NOT EXISTS crdb_ory_backup\n  FOR BACKUP INTO 's3://\${${BACKUP}.bucket_name}/clusters/@CLUSTER_ID@?AUTH=implicit&AWS_REGION=us-east-1'`);
    expect(text).toContain("  RECURRING '@hourly'\n  FULL BACKUP '@daily'");
    expect(text).toContain('WITH revision_history = true');
    expect(text).toContain("BACKUP_SCHEDULE_LABEL='crdb_ory_backup'");
    expect(text).toContain('GRANT SYSTEM VIEWJOB TO verifier;');
    for (const n of [2, 3]) expect(userData(json, n)).not.toContain('CREATE SCHEDULE');
  });

  it('takes the cadence, revision history and label from its props', () => {
    const custom = userData(synthCluster({ backupSchedule: { label: 'nightly', fullBackupCrontab: '0 2 * * *', incrementalCrontab: '*/30 * * * *', revisionHistory: false } }), 1);
    expect(custom).toContain('CREATE SCHEDULE IF NOT EXISTS nightly');
    expect(custom).toContain("RECURRING '*/30 * * * *'\n  FULL BACKUP '0 2 * * *'");
    expect(custom).toContain('WITH revision_history = false');
    expect(() => synthCluster({ backupSchedule: { incrementalCrontab: 'every hour' } })).toThrow(/backupSchedule.incrementalCrontab = "every hour": allowed are @yearly/);
    expect(() => synthCluster({ backupSchedule: { label: "x'; DROP" } })).toThrow(/backupSchedule.label = "x'; DROP": allowed/);
  });

  it.each([1, 2, 3])('node %i may write the backup bucket and use its key through S3, and nothing else in S3', (n) => {
    const statements = policyNamed(json, 'aws_iam_role_policy', `node-${n}-role_backups-policy_`);
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [['s3:ListBucket', 's3:GetBucketLocation'], [`\${${BACKUP}.bucket_arn}`]],
      [['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], [`\${${BACKUP}.bucket_arn}/*`]],
      [['kms:GenerateDataKey', 'kms:Decrypt'], [`\${${BACKUP}.kms_key_arn}`]],
    ]);
    expect(statements[2]?.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } });
    const everyAction = everyRolePolicyStatement(json).flatMap((s) => [s.Action].flat());
    expect(everyAction.filter((a: string) => a.startsWith('s3:Delete'))).toEqual(['s3:DeleteObject', 's3:DeleteObject', 's3:DeleteObject']);
  });

  it('publishes the bucket and the schedule label (the verifier reads them), and root\'s secret ARN (the roll and restore)', () => {
    expect(json.output.backup_bucket_name.value).toBe(`\${${BACKUP}.bucket_name}`);
    expect(json.output.backup_schedule_label.value).toBe(DEFAULT_BACKUP_SCHEDULE.label);
    expect(json.output.root_client_secret_arn.value).toBe('${jsondecode(data.aws_ssm_parameter.published-cockroach-pki-root_client_secret_arn.insecure_value)}');
  });

  it('with backupSchedule false: no schedule, no bucket access, empty backup outputs', () => {
    const off = synthCluster({ backupSchedule: false });
    expect(userData(off, 1)).not.toContain('CREATE SCHEDULE');
    expect(userData(off, 1)).not.toContain("BACKUP_SCHEDULE_LABEL='");
    expect(userData(off, 1)).not.toContain('VIEWJOB');
    expect(Object.keys(off.resource.aws_iam_role_policy).filter((k) => k.includes('_backups-policy_'))).toEqual([]);
    expect(Object.keys(json.resource.aws_iam_role_policy).filter((k) => k.includes('_backups-policy_'))).toHaveLength(3);
    expect([off.output.backup_bucket_name.value, off.output.backup_schedule_label.value]).toEqual(['', '']);
  });
});

describe('cockroach stack: metrics', () => {
  it.each([1, 2, 3])('node %i may put metrics into the node namespace only', (n) => {
    const [statement] = policyNamed(json, 'aws_iam_role_policy', `node-${n}-role_metrics-policy_`);
    expect(statement).toMatchObject({ Action: ['cloudwatch:PutMetricData'], Resource: ['*'], Condition: { StringEquals: { 'cloudwatch:namespace': ['CrdbOry/CockroachDB'] } } });
  });
});

describe('cockroach stack: alarms', () => {
  const addresses = nodeRolloutAddresses(json);

  it('has 14 alarms, every one notifying the alarm topic on ALARM and OK, with a runbook entry', () => {
    expect(alarms(json)).toHaveLength(2 + 4 * 3);
    for (const alarm of alarms(json)) {
      expect(alarm.alarm_actions[0]).toBe(TOPIC);
      expect(alarm.ok_actions).toEqual([TOPIC]);
      expect(alarm.alarm_description).toMatch(/ Runbook: docs\/operations\.md#alarm-[a-z-]+$/);
    }
  });

  it('watches the SQL targets: any unhealthy for 3 minutes, or fewer than 3 healthy (no datapoint counts as none)', () => {
    const dimensions = {
      LoadBalancer: `\${${Template.fromJSON(json).only('aws_lb', 'sql-load-balancer_nlb_').address}.arn_suffix}`,
      TargetGroup: `\${${Template.fromJSON(json).only('aws_lb_target_group', 'sql-load-balancer_nodes_').address}.arn_suffix}`,
    };
    expect(alarmNamed(json, 'crdb-ory-cockroach-sql-unhealthy-targets')).toMatchObject({
      namespace: 'AWS/NetworkELB', metric_name: 'UnHealthyHostCount', dimensions, statistic: 'Maximum', period: 60, evaluation_periods: 3, comparison_operator: 'GreaterThanThreshold', threshold: 0,
    });
    expect(alarmNamed(json, 'crdb-ory-cockroach-sql-healthy-targets')).toMatchObject({
      namespace: 'AWS/NetworkELB', metric_name: 'HealthyHostCount', dimensions, statistic: 'Minimum', comparison_operator: 'LessThanThreshold', threshold: 3, treat_missing_data: 'breaching',
    });
  });

  it.each([1, 2, 3])('node %i: both EC2 status checks on its instance, the system check recovering it (same id, IP, volumes)', (n) => {
    const node = addresses[n - 1];
    assert.exists(node, `the rollout addresses of node ${n}`);
    const instanceId = `\${${node.instance}.id}`;
    expect(alarmNamed(json, `crdb-ory-cockroach-node-${n}-instance-status-check`)).toMatchObject({ metric_name: 'StatusCheckFailed_Instance', dimensions: { InstanceId: instanceId }, alarm_actions: [TOPIC] });
    expect(alarmNamed(json, `crdb-ory-cockroach-node-${n}-system-status-check`)).toMatchObject({
      metric_name: 'StatusCheckFailed_System', dimensions: { InstanceId: instanceId }, alarm_actions: [TOPIC, 'arn:aws:automate:us-east-1:ec2:recover'], evaluation_periods: 2,
    });
  });

  it.each([1, 2, 3])('node %i: data volume free space under 20 %% and certificates within 30 days of expiry, also when the node stops publishing', (n) => {
    const dimensions = { ClusterName: 'crdb-ory', Node: `node-${n}` };
    expect(alarmNamed(json, `crdb-ory-cockroach-node-${n}-data-volume-free-space`)).toMatchObject({
      namespace: 'CrdbOry/CockroachDB', metric_name: 'DataVolumeFreePercent', dimensions, statistic: 'Minimum', threshold: 20, comparison_operator: 'LessThanThreshold', treat_missing_data: 'breaching', period: 300, evaluation_periods: 6,
    });
    expect(alarmNamed(json, `crdb-ory-cockroach-node-${n}-certificate-expiry`)).toMatchObject({
      namespace: 'CrdbOry/CockroachDB', metric_name: 'CertificateDaysToExpiry', dimensions, statistic: 'Minimum', threshold: 30, treat_missing_data: 'breaching', period: 3600, evaluation_periods: 6,
    });
  });

  it('takes the thresholds from its props, and refuses ones that make no sense', () => {
    const custom = synthCluster({ alarms: { certificateExpiryDays: 14, dataVolumeFreePercent: 30 } });
    expect(alarmNamed(custom, 'crdb-ory-cockroach-node-1-certificate-expiry').threshold).toBe(14);
    expect(alarmNamed(custom, 'crdb-ory-cockroach-node-1-data-volume-free-space').threshold).toBe(30);
    expect(() => synthCluster({ alarms: { certificateExpiryDays: 0 } })).toThrow(/certificateExpiryDays = 0: allowed are whole days from 1 to 365/);
    expect(() => synthCluster({ alarms: { dataVolumeFreePercent: 100 } })).toThrow(/dataVolumeFreePercent = 100: allowed is a percentage/);
  });

  it('recovers in the partition of the region', () => {
    const china = synthCluster({ region: 'cn-north-1' });
    expect(alarmNamed(china, 'crdb-ory-cockroach-node-1-system-status-check').alarm_actions[1]).toBe('arn:aws-cn:automate:cn-north-1:ec2:recover');
  });

  it('has one dashboard: alarm states, the targets, and every node\'s CPU, free space, certificate days and status checks', () => {
    const [dashboard] = Template.fromJSON(json).all('aws_cloudwatch_dashboard');
    assert.exists(dashboard, 'an aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('crdb-ory-cockroach');
    const body = dashboard.dashboard_body as string;
    for (const text of ['HealthyHostCount', 'UnHealthyHostCount', 'CPUUtilization', 'DataVolumeFreePercent', 'CertificateDaysToExpiry', 'StatusCheckFailed', '"type" = "alarm"']) expect(body).toContain(text);
    for (const node of addresses) expect(body).toContain(`${node.instance}.id`);
  });

  it('with alarms false: no alarm and no dashboard', () => {
    const off = synthCluster({ alarms: false });
    expect(alarms(off)).toEqual([]);
    expect(off.resource.aws_cloudwatch_dashboard).toBeUndefined();
  });
});

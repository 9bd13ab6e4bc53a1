import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Fn, TerraformLocal, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { COCKROACH_ALARMS, COCKROACH_BACKUP_SCHEDULE, CRDB_ORY_PACK, evaluateStack, suppressRule } from '../src';
import { CONTEXT, findings, fixtureStack } from './fixture';

const BOOT = '#!/bin/bash\nExecStart=/usr/local/bin/cockroach start --certs-dir=/var/lib/cockroach/certs';
const SCHEDULE = "CREATE SCHEDULE IF NOT EXISTS crdb_ory_backup\n  FOR BACKUP INTO 's3://bucket/clusters/@CLUSTER_ID@?AUTH=implicit'\n  RECURRING '@hourly' FULL BACKUP '@daily';";

/** A node the way CockroachStack writes it: gzipped user data from a local. */
function node(s: TerraformStack, id: string, userData: string): Instance {
  const local = new TerraformLocal(s, `${id}-user-data`, userData);
  return new Instance(s, id, { ami: 'ami-1', instanceType: 'm6i.2xlarge', userDataBase64: Fn.base64gzip(local.asString), metadataOptions: { httpTokens: 'required' } });
}

function alarm(s: TerraformStack, id: string, dimensions: Record<string, string>, actions: string[] = ['arn:aws:sns:us-east-1:123456789012:alarms']): void {
  new CloudwatchMetricAlarm(s, id, {
    alarmName: id, namespace: 'AWS/EC2', metricName: 'StatusCheckFailed', comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: 1, evaluationPeriods: 2, period: 60, statistic: 'Maximum', dimensions, alarmActions: actions,
  });
}

function watchedCluster(s: TerraformStack, userData = `${BOOT}\n${SCHEDULE}`): void {
  const nodes = [node(s, 'node-1', userData), node(s, 'node-2', BOOT)];
  const group = new LbTargetGroup(s, 'sql-nodes', { name: 'sql-nodes', port: 26257, protocol: 'TCP', vpcId: 'vpc-1' });
  nodes.forEach((n, i) => alarm(s, `node-${i + 1}-status`, { InstanceId: n.id }));
  alarm(s, 'unhealthy-targets', { TargetGroup: group.arnSuffix, LoadBalancer: 'net/sql/0a1b' });
}

describe('CRDB-BACKUP-001 CockroachDB backup schedule', () => {
  it('passes a cluster whose node bootstrap creates a backup schedule, and a stack without CockroachDB', () => {
    expect(findings(COCKROACH_BACKUP_SCHEDULE, (s) => watchedCluster(s))).toEqual([]);
    expect(findings(COCKROACH_BACKUP_SCHEDULE, (s) => node(s, 'web', '#!/bin/bash\nnginx'))).toEqual([]);
  });

  it('fails a cluster without one, on its first node', () => {
    const result = findings(COCKROACH_BACKUP_SCHEDULE, (s) => watchedCluster(s, BOOT));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ ruleId: 'CRDB-BACKUP-001', constructPath: 'fixture/node-1' });
    expect(result[0]!.message).toContain('none of the 2 CockroachDB nodes creates a backup schedule');
  });

  it('does not take a schedule into local storage (nodelocal) for a backup', () => {
    const nodelocal = "CREATE SCHEDULE b FOR BACKUP INTO 'nodelocal://1/backups' RECURRING '@daily';";
    expect(findings(COCKROACH_BACKUP_SCHEDULE, (s) => watchedCluster(s, `${BOOT}\n${nodelocal}`))).toHaveLength(1);
  });

  it('is silenced only by an explicit suppression with a reason, which the report keeps', () => {
    const stack = fixtureStack();
    watchedCluster(stack, BOOT);
    suppressRule(stack, 'CRDB-BACKUP-001', 'test environment, rebuilt from fixtures every night');
    const report = evaluateStack(stack, CRDB_ORY_PACK, CONTEXT);
    expect(report.findings.filter((f) => f.ruleId === 'CRDB-BACKUP-001')).toEqual([]);
    expect(report.suppressed.map((f) => [f.ruleId, f.reason])).toEqual([['CRDB-BACKUP-001', 'test environment, rebuilt from fixtures every night']]);
  });
});

describe('CRDB-MON-001 CockroachDB alarms', () => {
  it('passes a cluster with an alarm (with an action) on each node and on the SQL targets', () => {
    expect(findings(COCKROACH_ALARMS, (s) => watchedCluster(s))).toEqual([]);
  });

  it('fails a cluster without alarms: each node and the SQL target group', () => {
    const result = findings(COCKROACH_ALARMS, (s) => {
      node(s, 'node-1', BOOT);
      new LbTargetGroup(s, 'sql-nodes', { name: 'sql-nodes', port: 26257, protocol: 'TCP', vpcId: 'vpc-1' });
    });
    expect(result.map((f) => f.constructPath)).toEqual(['fixture/node-1', 'fixture/sql-nodes']);
  });

  it('does not count an alarm that notifies nobody, or one on another instance', () => {
    const result = findings(COCKROACH_ALARMS, (s) => {
      const n = node(s, 'node-1', BOOT);
      const other = new Instance(s, 'bastion', { ami: 'ami-1', instanceType: 't3.micro' });
      alarm(s, 'silent', { InstanceId: n.id }, []);
      alarm(s, 'elsewhere', { InstanceId: other.id });
    });
    expect(result.map((f) => f.constructPath)).toEqual(['fixture/node-1']);
  });
});

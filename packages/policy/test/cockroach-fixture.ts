import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Fn, TerraformLocal, TerraformStack } from 'cdktf';

export const BOOT = '#!/bin/bash\nExecStart=/usr/local/bin/cockroach start --certs-dir=/var/lib/cockroach/certs';
export const SCHEDULE = "CREATE SCHEDULE IF NOT EXISTS crdb_ory_backup\n  FOR BACKUP INTO 's3://bucket/clusters/@CLUSTER_ID@?AUTH=implicit'\n  RECURRING '@hourly' FULL BACKUP '@daily';";

/** A node the way CockroachStack writes it: gzipped user data from a local. */
export function node(s: TerraformStack, id: string, userData: string): Instance {
  const local = new TerraformLocal(s, `${id}-user-data`, userData);
  return new Instance(s, id, { ami: 'ami-1', instanceType: 'm6i.2xlarge', userDataBase64: Fn.base64gzip(local.asString), metadataOptions: { httpTokens: 'required' } });
}

export function alarm(s: TerraformStack, id: string, dimensions: Record<string, string>, actions: string[] = ['arn:aws:sns:us-east-1:123456789012:alarms']): void {
  new CloudwatchMetricAlarm(s, id, {
    alarmName: id, namespace: 'AWS/EC2', metricName: 'StatusCheckFailed', comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: 1, evaluationPeriods: 2, period: 60, statistic: 'Maximum', dimensions, alarmActions: actions,
  });
}

/** Two nodes (node 1 creating the schedule), the SQL target group, an alarm on each. */
export function watchedCluster(s: TerraformStack, userData = `${BOOT}\n${SCHEDULE}`): void {
  const nodes = [node(s, 'node-1', userData), node(s, 'node-2', BOOT)];
  const group = new LbTargetGroup(s, 'sql-nodes', { name: 'sql-nodes', port: 26257, protocol: 'TCP', vpcId: 'vpc-1' });
  nodes.forEach((n, i) => alarm(s, `node-${i + 1}-status`, { InstanceId: n.id }));
  alarm(s, 'unhealthy-targets', { TargetGroup: group.arnSuffix, LoadBalancer: 'net/sql/0a1b' });
}

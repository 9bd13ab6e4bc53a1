import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { describe, expect, it } from 'vitest';
import { COCKROACH_ALARMS } from '../src';
import { BOOT, alarm, node, watchedCluster } from './cockroach-fixture';
import { findings } from './fixture';

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

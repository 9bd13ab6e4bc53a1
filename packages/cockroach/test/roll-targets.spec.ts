import { assert, describe, expect, it } from 'vitest';
import { nodeRolloutAddresses } from '../src';
import { nodeReplacementTargets, targetedPlanProblems } from '../src/ops/roll-targets';
import { synthCluster } from './synth';

const json = synthCluster();
const [node1, node2] = nodeRolloutAddresses(json);
assert.exists(node1, 'the rollout addresses of node 1');
assert.exists(node2, 'the rollout addresses of node 2');
const targets = nodeReplacementTargets(json, node1);
const REPLACE = ['delete', 'create'];

/** The plan Terraform makes for `-replace=<node 1 instance> -target=...` (what the real provider does: attachments are ForceNew on the instance id). */
function goodPlan() {
  return {
    resource_changes: [
      { address: node1.instance, type: 'aws_instance', change: { actions: REPLACE } },
      { address: node1.runningSettings, type: 'terraform_data', change: { actions: REPLACE } },
      { address: node1.dataVolumeAttachment, type: 'aws_volume_attachment', change: { actions: REPLACE } },
      { address: node1.targetAttachment, type: 'aws_lb_target_group_attachment', change: { actions: REPLACE } },
      { address: node1.dataVolume, type: 'aws_ebs_volume', change: { actions: ['no-op'] } },
      ...targets.dependents.map((address) => ({ address, type: address.split('.')[0], change: { actions: ['update'] } })),
      { address: node2.instance, type: 'aws_instance', change: { actions: ['no-op'] } },
      { address: 'data.aws_ssm_parameter.al2023-ami', type: 'aws_ssm_parameter', mode: 'data', change: { actions: ['read'] } },
    ],
  };
}

/** The planned change of `address` in `plan`; fails the test when the plan has none. */
function changeOf(plan: ReturnType<typeof goodPlan>, address: string) {
  const change = plan.resource_changes.find((c) => c.address === address);
  assert.exists(change, `a planned change of ${address}`);
  return change.change;
}

describe('what one node\'s targeted apply brings in', () => {
  it('replaces only the instance; targets it, what is replaced with it, and what reads its id (its alarms, the dashboard)', () => {
    expect(targets.replace).toEqual([node1.instance]);
    expect(targets.targets.slice(0, 4)).toEqual([node1.instance, node1.runningSettings, node1.dataVolumeAttachment, node1.targetAttachment]);
    expect(targets.dependents.filter((a) => a.startsWith('aws_cloudwatch_metric_alarm.')).map((a) => a.replace(/_alarm_[0-9A-F]{8}$/, ''))).toEqual([
      'aws_cloudwatch_metric_alarm.alarms_node-1-instance-status',
      'aws_cloudwatch_metric_alarm.alarms_node-1-system-status',
    ]);
    expect(targets.dependents.some((a) => a.startsWith('aws_cloudwatch_dashboard.'))).toBe(true);
    expect(targets.targets).not.toContain(node1.dataVolume);
    expect(targets.targets.some((a) => a.includes('node-2'))).toBe(false);
  });
});

describe('the targeted plan check (before the node is drained)', () => {
  it('accepts a plan that replaces the node and updates what reads its id', () => {
    expect(targetedPlanProblems(goodPlan(), node1, targets)).toEqual([]);
  });

  it('refuses a plan that would replace or change a data volume', () => {
    const plan = goodPlan();
    changeOf(plan, node1.dataVolume).actions = ['delete', 'create'];
    expect(targetedPlanProblems(plan, node1, targets)).toEqual([`the plan would delete+create ${node1.dataVolume} (a data volume: the store must never be replaced or changed by a roll)`]);
  });

  it('refuses a plan that touches another node, or does not replace this one', () => {
    const other = goodPlan();
    changeOf(other, node2.instance).actions = ['update'];
    expect(targetedPlanProblems(other, node1, targets)).toEqual([`the plan would update ${node2.instance}`]);
    const noReplace = goodPlan();
    noReplace.resource_changes[0].change.actions = ['update'];
    expect(targetedPlanProblems(noReplace, node1, targets)[0]).toMatch(/does not replace/);
  });

  it('refuses a dependent that would be replaced or deleted rather than updated in place', () => {
    const plan = goodPlan();
    changeOf(plan, targets.dependents[0]).actions = ['delete'];
    expect(targetedPlanProblems(plan, node1, targets)).toEqual([`the plan would delete ${targets.dependents[0]}`]);
  });
});

import { COCKROACH_REVIEW, DEFAULT_COCKROACH_VERSION, nodeRolloutAddresses, nodesRunningOldSettings } from '@crdb-ory/cockroach';
import { MOCK_ACCOUNT, accountCheckOverrides, awsRegionOf, type StackReview } from '@crdb-ory/core';
import { nodeReplacementTargets, targetedPlanProblems } from '@crdb-ory/cockroach/ops';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackJson, synthesizeTo, withOperatorAccess } from './helpers';
import { RehearsalResult, liftDifferences, rehearse } from './rollout-rehearsal';

/**
 * Issue 12 item 3, proven with real Terraform planning (terraform test, mocked aws provider,
 * one state): deploy the default cluster, then change the CockroachDB version, its checksum and
 * the instance type. A plain plan and apply touch no node; replacing node 1 alone, as the roll
 * does it (`-replace` of its instance, `-target` of what goes with it and what reads its id),
 * gives node 1 the new settings on its old data volume, re-points its alarms and the dashboard to
 * the new instance, and leaves nodes 2 and 3 running.
 */
/** The next patch release of the default version (the checksum is a stand-in: nothing boots). */
const NEXT_PATCH = DEFAULT_COCKROACH_VERSION.replace(/\d+$/, (patch) => String(Number(patch) + 1));
/** The mock account with room for m6i.4xlarge nodes next to the EKS nodes (48 + 40 vCPUs): the plan-time vCPU check passes. */
const ROOMY_ACCOUNT_REVIEW: StackReview = {
  ...COCKROACH_REVIEW,
  overrideData: (json) => accountCheckOverrides(json, awsRegionOf(json), { ...MOCK_ACCOUNT.quotas, 'L-1216C47A': 128 }),
};
const CHANGED = withOperatorAccess({ cockroach: { version: NEXT_PATCH, binarySha256: 'b'.repeat(64), instanceType: 'm6i.4xlarge' } });

const before = stackJson(synthesizeTo(), 'cockroach');
const after = stackJson(synthesizeTo(CHANGED), 'cockroach');
const nodes = nodeRolloutAddresses(after);
const [node1, node2, node3] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
const targets = nodeReplacementTargets(after, node1);

let result: RehearsalResult;
beforeAll(async () => {
  result = await rehearse(liftDifferences(before, after), ROOMY_ACCOUNT_REVIEW, [
    { name: 'change_plan', command: 'plan', newValues: true },
    { name: 'change_apply', command: 'apply', newValues: true },
    { name: 'replace_node_1_plan', command: 'plan', newValues: true, replace: targets.replace, target: targets.targets },
    { name: 'replace_node_1', command: 'apply', newValues: true, replace: targets.replace, target: targets.targets },
    { name: 'outputs_plan', command: 'plan', newValues: true },
    { name: 'outputs_apply', command: 'apply', newValues: true },
  ]);
}, 600_000);

function planOf(run: string): Record<string, string[]> {
  const plan = result.plans[run];
  if (!plan) throw new Error(`no plan for run ${run}`);
  return plan;
}
function stateOf(run: string): Record<string, any> {
  const state = result.states[run];
  if (!state) throw new Error(`no state after run ${run}`);
  return state;
}
const changed = (plan: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(plan).filter(([, actions]) => actions.join() !== 'no-op' && actions.join() !== 'read'));
const resource = (state: Record<string, any>, address: string): Record<string, any> =>
  state['root_module']['resources'].find((r: { address: string }) => r.address === address)['values'];
const pendingOutput = (state: Record<string, any>): string[] => state['outputs']['nodes_pending_replacement']['value'];

describe('cockroach: a settings change never touches all nodes at once (terraform test against one state)', () => {
  it('finds every node resource by construct path', () => {
    expect(nodes.map((n) => n.node)).toEqual([1, 2, 3]);
    expect(node1.instance).toMatch(/^aws_instance\.node-1_instance_/);
    expect(node2.settings).toMatch(/^terraform_data\.node-2_settings_/);
    expect(node3.runningSettings).toMatch(/^terraform_data\.node-3_running-settings_/);
  });

  it('runs every step without error', () => {
    expect(result.status, result.output.slice(-4000)).toBe('pass');
    expect(Object.keys(result.plans)).toEqual(['change_plan', 'replace_node_1_plan', 'outputs_plan']);
  });

  it('a plain plan of the change updates only the three settings records: no instance, volume or attachment changes', () => {
    expect(changed(planOf('change_plan'))).toEqual(Object.fromEntries(nodes.map((n) => [n.settings, ['update']])));
    for (const n of nodes) {
      expect(planOf('change_plan')[n.instance]).toEqual(['no-op']);
      expect(planOf('change_plan')[n.dataVolume]).toEqual(['no-op']);
    }
  });

  it('after the plain apply every node still runs its old settings, and state says so', () => {
    const state = stateOf('change_apply');
    for (const n of nodes) {
      expect(resource(state, n.instance)['instance_type']).toBe('m6i.2xlarge');
      expect(resource(state, n.instance)['id']).toBe(resource(stateOf('mocked_apply'), n.instance)['id']);
      expect(resource(state, n.runningSettings)['output']).toMatchObject({ cockroach_version: DEFAULT_COCKROACH_VERSION, instance_type: 'm6i.2xlarge' });
      expect(resource(state, n.settings)['output']).toMatchObject({ cockroach_version: NEXT_PATCH, instance_type: 'm6i.4xlarge', cockroach_sha256: 'b'.repeat(64) });
    }
    expect(pendingOutput(stateOf('mocked_apply'))).toEqual([]);
    expect(pendingOutput(state)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(nodesRunningOldSettings(state, nodes)).toEqual([1, 2, 3]);
  });

  it("the roll's targeted replacement of node 1 changes only its instance, its volume attachment, its target registration, its running record and what reads its id", () => {
    const plan = changed(planOf('replace_node_1_plan'));
    expect(Object.keys(plan).sort()).toEqual([node1.instance, node1.dataVolumeAttachment, node1.targetAttachment, node1.runningSettings, ...targets.dependents].sort());
    for (const dependent of targets.dependents) expect(plan[dependent]).toEqual(['update']);
    expect(targets.dependents.filter((d) => d.startsWith('aws_cloudwatch_metric_alarm.'))).toHaveLength(2);
    expect(plan[node1.instance]).toEqual(['delete', 'create']);
    expect(plan[node1.runningSettings]).toEqual(['delete', 'create']);
    // The real provider marks instance_id/target_id ForceNew (replace); a mocked provider knows
    // only the schema and plans an update. Either way only node 1's attachments change.
    for (const address of [node1.dataVolumeAttachment, node1.targetAttachment]) expect([['update'], ['delete', 'create']]).toContainEqual(plan[address]);
  });

  it("passes the roll's own check of a targeted plan (the check it runs before draining a node)", () => {
    const plan = { resource_changes: Object.entries(planOf('replace_node_1_plan')).map(([address, actions]) => ({ address, type: address.split('.')[0]!, change: { actions } })) };
    expect(targetedPlanProblems(plan, node1, targets)).toEqual([]);
  });

  it('the new node 1 boots with the new settings on the same data volume; nodes 2 and 3 are untouched and still pending', () => {
    const state = stateOf('replace_node_1');
    const previous = stateOf('change_apply');
    expect(resource(state, node1.instance)['instance_type']).toBe('m6i.4xlarge');
    expect(resource(state, node1.instance)['id']).not.toBe(resource(previous, node1.instance)['id']);
    expect(resource(state, node1.dataVolume)['id']).toBe(resource(previous, node1.dataVolume)['id']);
    expect(resource(state, node1.dataVolumeAttachment)).toMatchObject({
      volume_id: resource(state, node1.dataVolume)['id'],
      instance_id: resource(state, node1.instance)['id'],
      stop_instance_before_detaching: true,
    });
    expect(resource(state, node1.runningSettings)['output']).toEqual(resource(state, node1.settings)['output']);
    for (const n of [node2, node3]) {
      expect(resource(state, n.instance)['id']).toBe(resource(previous, n.instance)['id']);
      expect(resource(state, n.instance)['instance_type']).toBe('m6i.2xlarge');
    }
    expect(nodesRunningOldSettings(state, nodes)).toEqual([2, 3]);
  });

  it('a targeted apply leaves the outputs as they were; the next plain plan changes outputs only, and its apply brings them up to date', () => {
    expect(pendingOutput(stateOf('replace_node_1'))).toEqual(['node-1', 'node-2', 'node-3']);
    expect(changed(planOf('outputs_plan'))).toEqual({});
    const state = stateOf('outputs_apply');
    expect(pendingOutput(state)).toEqual(['node-2', 'node-3']);
    expect(state['outputs']['node_instance_ids']['value'][0]).toBe(resource(state, node1.instance)['id']);
  });

  it("node 1's status-check alarms now watch its new instance; node 2's still watch node 2", () => {
    const state = stateOf('replace_node_1');
    const alarms = state['root_module']['resources'].filter((r: { type: string }) => r.type === 'aws_cloudwatch_metric_alarm').map((r: { values: Record<string, any> }) => r.values);
    const watching = (instance: string) => alarms.filter((a: Record<string, any>) => a['dimensions']?.['InstanceId'] === resource(state, instance)['id']).map((a: Record<string, any>) => a['metric_name']).sort();
    expect(watching(node1.instance)).toEqual(['StatusCheckFailed_Instance', 'StatusCheckFailed_System']);
    expect(watching(node2.instance)).toEqual(['StatusCheckFailed_Instance', 'StatusCheckFailed_System']);
  });
});

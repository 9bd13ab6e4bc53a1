import type { SynthesizedStackJson } from '@crdb-ory/core';
import { NodeRolloutAddresses } from '../cluster/node-rollout';
import type { TerraformPlanJson } from '@crdb-ory/core/terraform';

/** What `terraform apply -replace=<instance> -target=...` of one node puts in scope. */
export interface NodeReplacementTargets {
  readonly replace: readonly string[];
  readonly targets: readonly string[];
  /** Resources that only read the instance (its alarms, the dashboard): updated in place to the new instance id. */
  readonly dependents: readonly string[];
}

/**
 * The node's instance, what is replaced with it (running-settings record, volume and target
 * attachments) and every other resource whose configuration references the instance (alarms on
 * its id, the dashboard): `-target` brings in what a target depends on, not what depends on it,
 * so those are listed, or they would point at the terminated instance until the next apply.
 */
export function nodeReplacementTargets(stack: SynthesizedStackJson, node: NodeRolloutAddresses): NodeReplacementTargets {
  const own = [node.instance, node.runningSettings, node.dataVolumeAttachment, node.targetAttachment];
  // `${aws_instance.x.id}`, or `aws_instance.x.id` inside a larger expression (jsonencode of the dashboard).
  const reference = new RegExp(`(^|[^\\w.-])${node.instance.replace(/[.]/g, '\\.')}\\.`);
  const dependents: string[] = [];
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(resources)) {
      const address = `${type}.${name}`;
      if (!own.includes(address) && reference.test(JSON.stringify(config))) dependents.push(address);
    }
  }
  return { replace: [node.instance], targets: [...own, ...dependents.sort()], dependents: dependents.sort() };
}

const isReplace = (actions: readonly string[]): boolean => actions.length === 2 && actions.includes('delete') && actions.includes('create');

/**
 * Why the targeted plan of one node must not be applied (empty: it may): the instance is
 * replaced, what goes with it is replaced or updated, its dependents are updated in place, and
 * nothing else changes: above all no data volume and no other node.
 */
export function targetedPlanProblems(plan: TerraformPlanJson, node: NodeRolloutAddresses, targets: NodeReplacementTargets): string[] {
  const problems: string[] = [];
  const changes = new Map((plan.resource_changes ?? []).filter((c) => c.mode !== 'data').map((c) => [c.address, c.change.actions]));
  const instance = changes.get(node.instance);
  if (!instance || !isReplace(instance)) problems.push(`the plan does not replace ${node.instance} (actions: ${JSON.stringify(instance ?? [])})`);
  for (const [address, actions] of changes) {
    if (address === node.instance || (actions.length === 1 && actions[0] === 'no-op')) continue;
    const alongside = [node.runningSettings, node.dataVolumeAttachment, node.targetAttachment].includes(address);
    const updatedInPlace = actions.length === 1 && actions[0] === 'update';
    if (alongside && (isReplace(actions) || updatedInPlace)) continue;
    if (targets.dependents.includes(address) && updatedInPlace) continue;
    const what = address.startsWith('aws_ebs_volume.') ? ' (a data volume: the store must never be replaced or changed by a roll)' : '';
    problems.push(`the plan would ${actions.join('+')} ${address}${what}`);
  }
  return problems;
}

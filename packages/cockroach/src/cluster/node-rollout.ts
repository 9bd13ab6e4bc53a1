import type { SynthesizedStackJson } from '@crdb-ory/core';
import { type TerraformShowState, nodeChildOf, stateValuesOf } from '@crdb-ory/core/terraform';

/** Terraform addresses of one node's resources in the synthesized `cockroach` stack. */
export interface NodeRolloutAddresses {
  /** 1-based node number (AZ order). */
  readonly node: number;
  /** `aws_instance`: the only address a roll replaces (`terraform apply -replace=<instance>`). */
  readonly instance: string;
  /** `terraform_data` holding the wanted settings (updated in place by a plain apply). */
  readonly settings: string;
  /** `terraform_data` holding what the running instance booted with (replaced with the instance). */
  readonly runningSettings: string;
  /** `aws_ebs_volume`: the store; never replaced by a roll. */
  readonly dataVolume: string;
  /** `aws_volume_attachment`: replaced with the instance (the volume re-attaches to the new one). */
  readonly dataVolumeAttachment: string;
  /** `aws_lb_target_group_attachment`: replaced with the instance. */
  readonly targetAttachment: string;
}

const ROLES: Record<string, keyof Omit<NodeRolloutAddresses, 'node'>> = {
  instance: 'instance',
  settings: 'settings',
  'running-settings': 'runningSettings',
  data: 'dataVolume',
  'data-attachment': 'dataVolumeAttachment',
  target: 'targetAttachment',
};

/** Each node's resource addresses in the synthesized JSON (core's `nodeChildOf` reads the names). */
export function nodeRolloutAddresses(stack: SynthesizedStackJson): NodeRolloutAddresses[] {
  const found = new Map<number, Record<string, string>>();
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    for (const name of Object.keys(resources)) {
      const child = nodeChildOf(name);
      const role = child && ROLES[child.id];
      if (!child || !role) continue;
      found.set(child.node, { ...found.get(child.node), [role]: `${type}.${name}` });
    }
  }
  return [...found.entries()]
    .sort(([a], [b]) => a - b)
    .map(([node, addresses]) => {
      const missing = Object.values(ROLES).filter((role) => !addresses[role]);
      if (missing.length > 0) throw new Error(`node-${node} of the synthesized stack lacks ${missing.join(', ')}`);
      return { node, ...addresses } as unknown as NodeRolloutAddresses;
    });
}

/**
 * Nodes whose instance still runs older settings than the configuration: the wanted settings
 * (`settings.output`) differ from what the instance booted with (`runningSettings.output`).
 * Reads state only (`terraform show -json`); the `nodes_pending_replacement` output says the same.
 */
export function nodesRunningOldSettings(state: TerraformShowState, nodes: readonly NodeRolloutAddresses[]): number[] {
  const output = (address: string): string => {
    const values = stateValuesOf(state, address);
    if (!values) throw new Error(`${address} is not in the state`);
    return JSON.stringify(sortKeys(values['output']));
  };
  return nodes.filter((n) => output(n.settings) !== output(n.runningSettings)).map((n) => n.node);
}

function sortKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}

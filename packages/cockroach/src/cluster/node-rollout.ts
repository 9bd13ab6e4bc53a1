import type { SynthesizedStackJson } from '@crdb-ory/core';

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

/**
 * Each node's resource addresses in the synthesized JSON. cdktf names a resource after its
 * construct path (`node-<n>/instance` becomes `node-<n>_instance_<hash>`), so tools find them
 * without guessing the hash.
 */
export function nodeRolloutAddresses(stack: SynthesizedStackJson): NodeRolloutAddresses[] {
  const found = new Map<number, Record<string, string>>();
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    for (const name of Object.keys(resources)) {
      const match = /^node-(\d+)_([a-z-]+)_[0-9A-F]{8}$/.exec(name);
      const role = match ? ROLES[match[2] ?? ''] : undefined;
      if (!match || !role) continue;
      const node = Number(match[1]);
      found.set(node, { ...found.get(node), [role]: `${type}.${name}` });
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

/** The `values` of `terraform show -json` (what a `terraform test -json` state message holds). */
export interface TerraformStateValues {
  readonly root_module?: { readonly resources?: ReadonlyArray<{ readonly address: string; readonly values?: Record<string, unknown> }> };
}

/** `terraform show -json` of a state, or just its `values`. */
export type TerraformShowState = { readonly values?: TerraformStateValues } | TerraformStateValues;

/**
 * Nodes whose instance still runs older settings than the configuration: the wanted settings
 * (`settings.output`) differ from what the instance booted with (`runningSettings.output`).
 * Reads state only (`terraform show -json`); the `nodes_pending_replacement` output says the same.
 */
export function nodesRunningOldSettings(state: TerraformShowState, nodes: readonly NodeRolloutAddresses[]): number[] {
  const values: TerraformStateValues = 'values' in state ? (state.values ?? {}) : (state as TerraformStateValues);
  const resources = new Map((values.root_module?.resources ?? []).map((r) => [r.address, r.values ?? {}]));
  const output = (address: string): string => {
    const values = resources.get(address);
    if (!values) throw new Error(`${address} is not in the state`);
    return JSON.stringify(sortKeys(values['output']));
  };
  return nodes.filter((n) => output(n.settings) !== output(n.runningSettings)).map((n) => n.node);
}

function sortKeys(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}

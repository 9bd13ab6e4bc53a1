/**
 * Plans in the shape `terraform show -json <planfile>` writes (Terraform 1.11, format 1.2), checked
 * against the real plan in fixtures/terraform-data.plan.json by plan-fixture.spec.ts.
 */
type Action = 'no-op' | 'create' | 'read' | 'update' | 'delete';

export interface ChangeSpec {
  readonly address: string;
  readonly actions: readonly Action[];
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
  readonly afterUnknown?: Record<string, unknown>;
  readonly afterSensitive?: Record<string, unknown>;
  readonly replacePaths?: readonly (readonly (string | number)[])[];
  readonly actionReason?: string;
  readonly mode?: 'managed' | 'data';
}

const PROVIDERS: Record<string, string> = { aws: 'registry.terraform.io/hashicorp/aws', tls: 'registry.terraform.io/hashicorp/tls', terraform: 'terraform.io/builtin/terraform' };

export function resourceChange(spec: ChangeSpec): Record<string, unknown> {
  const mode = spec.mode ?? 'managed';
  const [type, name] = spec.address.replace(/^data\./, '').split('.') as [string, string];
  const creates = spec.actions.includes('create') && spec.actions.length === 1;
  const deletes = spec.actions.includes('delete') && spec.actions.length === 1;
  const before = creates ? null : (spec.before ?? { id: 'existing' });
  const after = deletes ? null : (spec.after ?? before ?? {});
  return {
    address: spec.address,
    mode,
    type,
    name: name.replace(/\[.*$/, ''),
    provider_name: PROVIDERS[type.split('_')[0] ?? ''] ?? PROVIDERS['aws'],
    change: {
      actions: [...spec.actions],
      before,
      after,
      after_unknown: spec.afterUnknown ?? {},
      before_sensitive: before === null ? false : {},
      after_sensitive: after === null ? false : (spec.afterSensitive ?? {}),
      ...(spec.replacePaths ? { replace_paths: spec.replacePaths } : {}),
    },
    ...(spec.actionReason ? { action_reason: spec.actionReason } : {}),
  };
}

export function planJson(changes: readonly ChangeSpec[]): Record<string, unknown> {
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: {} },
    resource_changes: changes.map(resourceChange),
    output_changes: {},
    prior_state: { format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } },
    configuration: { root_module: {} },
    timestamp: '2026-01-01T00:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
}

export const replaced = (address: string, replacePaths: readonly (readonly (string | number)[])[] = [], actionReason = 'replace_because_cannot_update'): ChangeSpec => ({
  address,
  actions: ['delete', 'create'],
  replacePaths,
  actionReason,
  afterUnknown: { id: true },
});
export const destroyed = (address: string): ChangeSpec => ({ address, actions: ['delete'] });
export const created = (address: string): ChangeSpec => ({ address, actions: ['create'], after: { tags: { Name: address } }, afterUnknown: { id: true } });
export const updated = (address: string, before: Record<string, unknown> = { tags: { a: '1' } }, after: Record<string, unknown> = { tags: { a: '2' } }): ChangeSpec => ({ address, actions: ['update'], before: { id: 'existing', ...before }, after: { id: 'existing', ...after } });
export const unchanged = (address: string): ChangeSpec => ({ address, actions: ['no-op'] });

export const NODE_1_INSTANCE = 'aws_instance.node-1_instance_9677A2F7';
export const NODE_2_INSTANCE = 'aws_instance.node-2_instance_1B2C3D4E';
export const NODE_1_VOLUME = 'aws_ebs_volume.node-1_data_0A1B2C3D';
export const NODE_2_VOLUME = 'aws_ebs_volume.node-2_data_F1281083';
export const NODE_1_ATTACHMENT = 'aws_volume_attachment.node-1_data-attachment_A2239E41';
export const NODE_3_TARGET = 'aws_lb_target_group_attachment.node-3_target_5E6F7A8B';
export const NODE_1_SETTINGS = 'terraform_data.node-1_settings_11AA22BB';
export const NODE_2_RUNNING_SETTINGS = 'terraform_data.node-2_running-settings_33CC44DD';

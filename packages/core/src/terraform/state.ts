/** One resource of a state, as `terraform show -json` lists it under `values.root_module.resources`. */
export interface StateResource {
  readonly address: string;
  readonly type?: string;
  readonly mode?: string;
  readonly values?: Record<string, unknown>;
}

/** The `values` of `terraform show -json` (what a `terraform test -json` state message holds). */
export interface TerraformStateValues {
  readonly root_module?: { readonly resources?: readonly StateResource[] };
}

/** `terraform show -json` of a state, or just its `values`. */
export type TerraformShowState = { readonly values?: TerraformStateValues } | TerraformStateValues;

/**
 * The one reader of state JSON: the root module's resources of `terraform show -json` (Terraform's
 * "JSON Output Format", values representation), whether given whole or as its `values`.
 */
export function stateResources(state: TerraformShowState): readonly StateResource[] {
  const values = 'values' in state ? (state as { readonly values?: TerraformStateValues }).values : (state as TerraformStateValues);
  return values?.root_module?.resources ?? [];
}

/** The attributes of the resource at `address` in a state; undefined when the state has no such resource. */
export function stateValuesOf(state: TerraformShowState, address: string): Record<string, unknown> | undefined {
  const resource = stateResources(state).find((candidate) => candidate.address === address);
  return resource ? (resource.values ?? {}) : undefined;
}

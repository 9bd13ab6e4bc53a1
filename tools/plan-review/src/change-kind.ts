import type { ChangeAction, ChangeKind } from './plan';

const SINGLE_ACTION_KINDS: Readonly<Record<ChangeAction, ChangeKind>> = {
  'no-op': 'no-op',
  create: 'create',
  read: 'read',
  update: 'update',
  delete: 'delete',
  forget: 'forget',
};

export const CHANGE_ACTIONS: readonly ChangeAction[] = Object.keys(SINGLE_ACTION_KINDS) as ChangeAction[];

/**
 * The kind of a change from its `actions`, or undefined for a list Terraform does not write.
 * Replacements come as `["delete","create"]`, `["create","delete"]` (create_before_destroy) and,
 * since Terraform 1.7, `["create","forget"]` ("must be replaced, but the existing object will not
 * be destroyed": a new object all the same, so it is reviewed as a replacement).
 */
export function changeKindOf(actions: readonly ChangeAction[]): ChangeKind | undefined {
  const [first] = actions;
  if (actions.length === 1 && first !== undefined) return SINGLE_ACTION_KINDS[first];
  if (actions.length === 2 && actions.includes('create') && (actions.includes('delete') || actions.includes('forget'))) return 'replace';
  return undefined;
}

/** Delete or replace: the object Terraform manages now goes away. */
export function removesObject(kind: ChangeKind): boolean {
  return kind === 'delete' || kind === 'replace';
}

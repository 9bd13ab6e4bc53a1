/** One action of a resource change, as `terraform show -json` spells it. */
export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

/** What a resource change amounts to: its `actions` list read as one word. */
export type ChangeKind = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'replace' | 'forget';

/** An attribute path of `replace_paths`: attribute names, map keys and list indexes. */
export type AttributePath = readonly (string | number)[];

/** One entry of `resource_changes`, with the fields the review reads. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly mode: 'managed' | 'data';
  readonly actions: readonly ChangeAction[];
  readonly kind: ChangeKind;
  /** The prior and planned values; never printed (they may hold sensitive values). */
  readonly before: unknown;
  readonly after: unknown;
  /** Where the planned value is only known after apply (`true` at that attribute). */
  readonly afterUnknown: unknown;
  /** The attributes that force a replacement; empty when the plan names none (e.g. `-replace=`). */
  readonly replacePaths: readonly AttributePath[];
  /** `action_reason`, e.g. `replace_because_cannot_update`; absent for plain changes. */
  readonly actionReason?: string;
}

/** A plan, as `terraform show -json <planfile>` writes it. */
export interface Plan {
  /** Where the plan came from (a file name), for messages. */
  readonly source: string;
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly resourceChanges: readonly ResourceChange[];
}

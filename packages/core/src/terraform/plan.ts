/**
 * The one reader of Terraform plans: `terraform show -json <planfile>` (Terraform's "JSON Output
 * Format", format_version 1.x). `parsePlan` validates a plan file strictly (the plan review reads
 * files from pull requests); `plannedChanges` and `outputChanges` read the raw document the
 * operations commands and the rehearsal get from their own `terraform show -json`.
 */

/** A plan or acknowledgement file that cannot be read: the message names the file and what is wrong. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

/** The parsed JSON of a file's text, or a PlanInputError naming the file. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PlanInputError(`${source}: not JSON (${(error as Error).message})`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a JSON value is described in messages: its type, never its content (it may be sensitive). */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

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

/** The major version of `format_version` this review reads (Terraform 1.x writes 1.0 to 1.2). */
export const SUPPORTED_FORMAT_MAJOR = 1;

/**
 * A plan from the output of `terraform show -json <planfile>` (its text, or the parsed JSON).
 * Throws a PlanInputError naming `source` and what is wrong; values are never quoted in messages.
 */
export function parsePlan(json: unknown, source: string): Plan {
  const document = typeof json === 'string' ? parseJsonText(json, source) : json;
  if (!isRecord(document)) throw new PlanInputError(`${source}: expected a JSON object (terraform show -json <planfile>), got ${jsonTypeOf(document)}`);
  const formatVersion = readFormatVersion(document, source);
  if (!('resource_changes' in document)) {
    throw new PlanInputError(`${source}: no "resource_changes": not the output of \`terraform show -json <planfile>\` (a state, or a plan shown without its plan file?)`);
  }
  const changes = document['resource_changes'];
  if (!Array.isArray(changes)) throw new PlanInputError(`${source}: "resource_changes" must be an array, got ${jsonTypeOf(changes)}`);
  const terraformVersion = typeof document['terraform_version'] === 'string' ? document['terraform_version'] : undefined;
  return {
    source,
    formatVersion,
    ...(terraformVersion === undefined ? {} : { terraformVersion }),
    resourceChanges: changes.map((change, index) => parseResourceChange(change, `${source}: resource_changes[${index}]`)),
  };
}

function readFormatVersion(document: Record<string, unknown>, source: string): string {
  const version = document['format_version'];
  if (typeof version !== 'string') throw new PlanInputError(`${source}: "format_version" must be a string like "1.2", got ${jsonTypeOf(version)}`);
  const major = Number(version.split('.')[0]);
  if (major !== SUPPORTED_FORMAT_MAJOR) {
    throw new PlanInputError(`${source}: unsupported format_version "${version}" (supported: ${SUPPORTED_FORMAT_MAJOR}.x)`);
  }
  return version;
}

function parseResourceChange(value: unknown, where: string): ResourceChange {
  if (!isRecord(value)) throw new PlanInputError(`${where}: expected an object, got ${jsonTypeOf(value)}`);
  const address = requiredString(value, 'address', where);
  const at = `${where} (${address})`;
  const mode = requiredString(value, 'mode', at);
  if (mode !== 'managed' && mode !== 'data') throw new PlanInputError(`${at}: "mode" is "${mode}"; allowed: managed, data`);
  const change = value['change'];
  if (!isRecord(change)) throw new PlanInputError(`${at}: "change" must be an object, got ${jsonTypeOf(change)}`);
  const actions = readActions(change['actions'], at);
  const kind = changeKindOf(actions);
  if (kind === undefined) throw new PlanInputError(`${at}: change.actions ${JSON.stringify(actions)} is not a combination Terraform writes`);
  const actionReason = value['action_reason'];
  if (actionReason !== undefined && typeof actionReason !== 'string') throw new PlanInputError(`${at}: "action_reason" must be a string, got ${jsonTypeOf(actionReason)}`);
  return {
    address,
    type: requiredString(value, 'type', at),
    name: requiredString(value, 'name', at),
    mode,
    actions,
    kind,
    before: change['before'] ?? null,
    after: change['after'] ?? null,
    afterUnknown: change['after_unknown'] ?? {},
    replacePaths: readReplacePaths(change['replace_paths'], at),
    ...(actionReason === undefined ? {} : { actionReason }),
  };
}

function requiredString(value: Record<string, unknown>, key: string, where: string): string {
  const field = value[key];
  if (typeof field !== 'string' || field === '') throw new PlanInputError(`${where}: "${key}" must be a non-empty string, got ${jsonTypeOf(field)}`);
  return field;
}

function readActions(value: unknown, where: string): ChangeAction[] {
  if (!Array.isArray(value) || value.length === 0) throw new PlanInputError(`${where}: change.actions must be a non-empty array, got ${jsonTypeOf(value)}`);
  return value.map((action) => {
    if (typeof action !== 'string' || !(CHANGE_ACTIONS as readonly string[]).includes(action)) {
      throw new PlanInputError(`${where}: change.actions has ${JSON.stringify(action)}; allowed: ${CHANGE_ACTIONS.join(', ')}`);
    }
    return action as ChangeAction;
  });
}

function readReplacePaths(value: unknown, where: string): AttributePath[] {
  if (value === undefined || value === null) return [];
  const valid = Array.isArray(value) && value.every((path) => Array.isArray(path) && path.every((step) => typeof step === 'string' || typeof step === 'number'));
  if (!valid) throw new PlanInputError(`${where}: change.replace_paths must be an array of attribute paths (arrays of names and indexes)`);
  return value as AttributePath[];
}

/** A plan document as `terraform show -json <planfile>` prints it, unvalidated (the parts the operations commands read). */
export interface TerraformPlanJson {
  readonly format_version?: string;
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly type: string;
    readonly name?: string;
    readonly mode?: string;
    readonly change: { readonly actions: readonly string[] };
  }>;
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
}

/** Managed resources a plan would create, change, replace or destroy (not no-op, not data reads), with their actions. */
export function plannedChanges(plan: TerraformPlanJson): Array<{ readonly address: string; readonly actions: readonly string[] }> {
  return (plan.resource_changes ?? [])
    .filter((c) => c.mode !== 'data' && !c.change.actions.every((action) => action === 'no-op' || action === 'read'))
    .map((c) => ({ address: c.address, actions: c.change.actions }));
}

/** Outputs a plan would change. */
export function outputChanges(plan: TerraformPlanJson): string[] {
  return Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => c.actions.join() !== 'no-op')
    .map(([name]) => name);
}

/** The JSON document in the output of `terraform show -json` (the first line that starts one; the CLI may print warnings around it). */
export function showJsonOf(output: string, what: string): unknown {
  const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
  if (!line) throw new PlanInputError(`${what} printed no JSON`);
  return parseJsonText(line, what);
}

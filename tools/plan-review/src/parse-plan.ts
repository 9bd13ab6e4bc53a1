import { CHANGE_ACTIONS, changeKindOf } from './change-kind';
import { isRecord, jsonTypeOf, parseJsonText } from './json-input';
import type { AttributePath, ChangeAction, Plan, ResourceChange } from './plan';
import { PlanInputError } from './plan-input-error';

/** The major version of `format_version` this review reads (Terraform 1.x writes 1.0 to 1.2). */
export const SUPPORTED_FORMAT_MAJOR = 1;

/**
 * A plan from the output of `terraform show -json <planfile>` (its text, or the parsed JSON).
 * Throws a PlanInputError naming `source` and what is wrong; values are never quoted in messages.
 */
export function parsePlan(json: string | object, source: string): Plan {
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

import { isDeepStrictEqual } from 'node:util';
import { type AttributePath, type ResourceChange, isRecord } from '@crdb-ory/core/terraform';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `["root_block_device", 0, "volume_size"]` as `root_block_device[0].volume_size`; other map keys as `tags["a b"]`. */
export function renderAttributePath(path: AttributePath): string {
  return path
    .map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      if (!IDENTIFIER.test(step)) return `[${JSON.stringify(step)}]`;
      return index === 0 ? step : `.${step}`;
    })
    .join('');
}

/** The attributes that force a replacement, rendered: `user_data_base64`, `root_block_device[0].volume_size`. */
export function forcingAttributes(change: ResourceChange): string[] {
  return change.replacePaths.map(renderAttributePath);
}

/** `aws_instance.x will be replaced (forced by user_data_base64; replace_because_cannot_update)`, `... will be destroyed`. */
export function describeRemoval(change: ResourceChange): string {
  const verb = change.kind === 'replace' ? 'replaced' : 'destroyed';
  const details = [...(forcingAttributes(change).length > 0 ? [`forced by ${forcingAttributes(change).join(', ')}`] : []), ...(change.actionReason ? [change.actionReason] : [])];
  return `${change.address} will be ${verb}${details.length > 0 ? ` (${details.join('; ')})` : ''}`;
}

/** Whether a value of `after_unknown` marks anything as unknown (it mirrors the value: `true` at unknown leaves). */
function containsUnknown(marks: unknown): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(containsUnknown);
  return isRecord(marks) && Object.values(marks).some(containsUnknown);
}

function topLevel(value: unknown, attribute: string): unknown {
  return isRecord(value) ? (value[attribute] ?? null) : null;
}

/** Whether the planned value of a top-level attribute differs from the prior one, or is not known until apply. */
export function attributeChanges(change: ResourceChange, attribute: string): boolean {
  if (containsUnknown(topLevel(change.afterUnknown, attribute))) return true;
  return !isDeepStrictEqual(topLevel(change.before, attribute), topLevel(change.after, attribute));
}

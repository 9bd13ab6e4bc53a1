import { type ResourceChange, isRecord } from '@crdb-ory/core/terraform';
import { isDeepStrictEqual } from 'node:util';

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

/**
 * Helpers to read the shape of resolved Terraform JSON values. Expressions in them (`${...}`)
 * are read by core's one parser: `referenceOf`, `wholeExpression`, `containsExpression`.
 */

/** A nested block: cdktf renders single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

export function firstBlock(value: unknown): Record<string, unknown> | undefined {
  return blocks(value)[0];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `true` or `"true"` (some provider schemas type booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** Short, single-line rendering of a value for messages. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'unset' : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Every string leaf of `value` with the key path that leads to it. */
export function stringLeaves(value: unknown, path: string[] = []): Array<{ path: string[]; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, String(index)]));
  if (isObject(value)) {
    return Object.entries(value)
      .filter(([key]) => key !== '//')
      .flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  }
  return [];
}

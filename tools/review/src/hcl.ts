/**
 * Renders a JSON value as an HCL expression. JSON escapes are valid in HCL strings; template
 * sequences are escaped so example values are never interpolated.
 */
export function hclValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${hclString(key)} = ${hclValue(item)}`);
  return `{ ${entries.join(', ')} }`;
}

export function hclString(text: string): string {
  return JSON.stringify(text).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

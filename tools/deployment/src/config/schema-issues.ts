import { z } from 'zod';
import type { ConfigIssue } from './config-error';
import { settingPath } from './config-json';
import { deploymentConfig } from './schema';

type Path = ReadonlyArray<PropertyKey>;

/**
 * A schema issue as config issues: the setting's path, its value, and what is allowed, in words
 * a user can act on (zod's generic "expected number, received number" for Infinity, or "Invalid
 * input" for an unknown backend type, are not).
 */
export function toConfigIssues(issue: z.core.$ZodIssue, input: unknown, root: z.ZodType = deploymentConfig): ConfigIssue[] {
  const setting = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(issue.path, input, root);
    return issue.keys.map((key) => ({
      setting: setting ? `${setting}.${key}` : key,
      value: undefined,
      message: `is not a known setting${allowed ? `; allowed here: ${allowed}` : ''}`,
    }));
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string') {
    const allowed = discriminatorValues(issue.path.slice(0, -1), input, issue.discriminator, root);
    return [{ setting, value, message: allowed.length ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : issue.message }];
  }
  if (issue.code === 'invalid_type') return [{ setting, value, message: invalidTypeMessage(issue, value, schemaAt(issue.path, input, root)) }];
  return [{ setting, value, message: issue.message }];
}

function invalidTypeMessage(issue: z.core.$ZodIssueInvalidType, value: unknown, schema: z.ZodType | undefined): string {
  // A message the schema chose itself (`z.string({ error })`) wins over the generic ones.
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  if (value === undefined) return `is required (${article(issue.expected)} ${issue.expected})`;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    const range = schema ? describeNumber(schema) : undefined;
    return `must be a finite number${range ? `: ${range}` : ''}`;
  }
  return `must be ${article(issue.expected)} ${issue.expected}, not ${kindOf(value)}`;
}

/** "an integer from 1 to 16384" from the schema's checks; undefined when it has none. */
function describeNumber(schema: z.ZodType): string | undefined {
  const bag = (schema as { _zod?: { bag?: { format?: string; minimum?: number; maximum?: number } } })._zod?.bag ?? {};
  const kind = bag.format === 'safeint' ? 'an integer' : 'a number';
  // .int() alone bounds the value to the safe integers: no bound worth naming.
  const min = bag.minimum !== undefined && bag.minimum > Number.MIN_SAFE_INTEGER ? bag.minimum : undefined;
  const max = bag.maximum !== undefined && bag.maximum < Number.MAX_SAFE_INTEGER ? bag.maximum : undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return bag.format === 'safeint' ? kind : undefined;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${article(typeof value)} ${typeof value}`;
}

/** The keys the schema allows where an unknown key was found, optional ones included. */
function allowedKeys(path: Path, input: unknown, root: z.ZodType): string | undefined {
  const schema = schemaAt(path, input, root);
  const object = schema && unwrap(schema, valueAt(input, path));
  return object instanceof z.ZodObject ? Object.keys(object.shape).join(', ') : undefined;
}

/** The values of a discriminated union's `discriminator` key (`local`, `s3`). */
function discriminatorValues(path: Path, input: unknown, discriminator: string, root: z.ZodType): unknown[] {
  let schema = schemaAt(path, input, root);
  while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) schema = schema.unwrap() as z.ZodType;
  if (!(schema instanceof z.ZodUnion)) return [];
  return (schema.options as z.ZodType[]).flatMap((option) => {
    const literal = option instanceof z.ZodObject ? (option.shape as Record<string, z.ZodType>)[discriminator] : undefined;
    return literal instanceof z.ZodLiteral ? [...literal.values] : [];
  });
}

/** The schema of the setting at `path` (unions resolved by the input's `type`). */
function schemaAt(path: Path, input: unknown, root: z.ZodType): z.ZodType | undefined {
  return path.reduce<z.ZodType | undefined>((node, part, i) => (node ? child(unwrap(node, valueAt(input, path.slice(0, i))), part) : undefined), root);
}

function child(schema: z.ZodType, part: PropertyKey): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(part)];
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  return undefined;
}

/** Strips optional/default wrappers; picks the union member whose `type` matches the input. */
function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as z.ZodType[];
    const type = isPlainObject(value) ? value['type'] : undefined;
    const match = options.find((option) => option instanceof z.ZodObject && (option.shape as Record<string, z.ZodType>)['type']?.safeParse(type).success);
    return match ?? options[0] ?? schema;
  }
  return schema;
}

function formatPath(path: Path): string {
  return settingPath(path.map((part) => (typeof part === 'number' ? part : String(part))));
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, part) => (node != null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[part] : undefined), root);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

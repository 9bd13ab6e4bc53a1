import { createHash } from 'node:crypto';

/** Terraform built-in functions by name; each throws (with a short reason) where Terraform would fail. */
export type TerraformFunctions = Readonly<Record<string, (...args: unknown[]) => unknown>>;

/**
 * The built-in functions the stacks use, as Terraform computes them (developer.hashicorp.com,
 * "Functions" reference: element, cidrhost, join, lower, tostring, tolist, urlencode, sha256,
 * nonsensitive, jsonencode, jsondecode, lookup). `nonsensitive` only drops a mark, so it returns
 * its argument.
 */
export const TERRAFORM_FUNCTIONS: TerraformFunctions = {
  // element(list, i): the element at i modulo the length ("element Function").
  element: (list, i) => {
    if (!Array.isArray(list) || list.length === 0 || typeof i !== 'number') throw new Error('element() needs a non-empty list and a number.');
    return list[((i % list.length) + list.length) % list.length];
  },
  cidrhost: (prefix, host) => cidrHost(text(prefix), number(host)),
  join: (separator, list) => {
    if (!Array.isArray(list)) throw new Error('join() needs a list.');
    return list.map(text).join(text(separator));
  },
  lower: (value) => text(value).toLowerCase(),
  tostring: (value) => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Error(`tostring() of ${kindOf(value)}.`);
  },
  tolist: (value) => {
    if (!Array.isArray(value)) throw new Error(`tolist() of ${kindOf(value)}.`);
    return value;
  },
  urlencode: (value) => encodeURIComponent(text(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  sha256: (value) => createHash('sha256').update(text(value), 'utf8').digest('hex'),
  nonsensitive: (value) => value,
  jsonencode: (value) => terraformJsonEncode(value),
  jsondecode: (value) => JSON.parse(text(value)) as unknown,
  lookup: (map, key) => {
    const value = map !== null && typeof map === 'object' && !Array.isArray(map) ? (map as Record<string, unknown>)[text(key)] : undefined;
    if (value === undefined) throw new Error(`lookup(): the map has no key "${text(key)}".`);
    return value;
  },
};

/** Terraform's `jsonencode`: object keys in lexicographic order, `<`, `>`, `&`, U+2028 and U+2029 escaped as Go's encoder does. */
export function terraformJsonEncode(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`jsonencode() of ${String(v)}: its content is not known offline.`);
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(canonical(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `cidrhost("10.10.10.0/24", 10)` = `10.10.10.10` (IPv4; the host number must fit the prefix). */
function cidrHost(prefix: string, host: number): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix);
  if (!match) throw new Error(`cidrhost(): "${prefix}" is not an IPv4 prefix.`);
  const size = 2 ** (32 - Number(match[5]));
  if (!Number.isInteger(host) || host < 0 || host >= size) throw new Error(`cidrhost(): host number ${host} does not fit ${prefix}.`);
  const base = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const address = base - (base % size) + host;
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected a string, got ${kindOf(value)}.`);
}

function number(value: unknown): number {
  if (typeof value !== 'number') throw new Error(`expected a number, got ${kindOf(value)}.`);
  return value;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

import { createHash } from 'node:crypto';
import { OutputsContract, SynthesizedStackJson, describeContract, publishedOutputOf, remoteStateId } from '@crdb-ory/core';
import { Expression, Step, parseTemplate } from './terraform-expression';

/**
 * Stand-ins for attributes Terraform computes at apply time (not in the synthesized JSON), by
 * resource type (data sources as `data.<type>`) and attribute, each of the type and shape the
 * real value has.
 */
export type ComputedStandIns = Readonly<Record<string, Readonly<Record<string, (config: Readonly<Record<string, unknown>>) => unknown>>>>;

/**
 * A JSON document read at apply time whose keys are not known offline (a Secrets Manager secret's
 * value): `jsondecode()` of it gives an object in which every key holds a stand-in string naming
 * its source and key, so what is derived from different keys or sources differs.
 */
export class OpaqueJson {
  constructor(readonly source: string) {}

  toString(): string {
    return `<${this.source}>`;
  }
}

class OpaqueObject {
  constructor(readonly source: string) {}

  get(key: string): string {
    return `<${this.source}[${JSON.stringify(key)}]>`;
  }
}

/** Computed attributes the Ory stack's Helm values and Secrets read. */
export const DEFAULT_COMPUTED_STAND_INS: ComputedStandIns = {
  // Kubernetes resourceVersion: an opaque string of digits.
  kubernetes_secret_v1: { resource_version: () => '4711' },
  kubernetes_namespace_v1: { resource_version: () => '4711' },
  // random_password.result: `length` letters and digits, as the resource generates them.
  random_password: { result: (config) => 'Aa0'.repeat(Math.ceil(Number(config['length'] ?? 32) / 3)).slice(0, Number(config['length'] ?? 32)) },
  // A secret's value: JSON only Secrets Manager knows (the certificate bundles of cockroach-pki).
  'data.aws_secretsmanager_secret_version': { secret_string: (config) => new OpaqueJson(`secret ${String(config['secret_id'])}`) },
};

export interface StandInOptions {
  /** Contracts of the upstream stacks: remote state outputs and published parameters become their examples (as `override_data` in the mocked apply). */
  readonly contracts: readonly OutputsContract[];
  /** @default DEFAULT_COMPUTED_STAND_INS */
  readonly computed?: ComputedStandIns;
}

type Value = unknown;

/**
 * Terraform's built-in functions the stacks use, as Terraform computes them. `jsonencode` sorts
 * object keys and escapes `<`, `>`, `&`, U+2028 and U+2029 as Go's encoder does; `nonsensitive`
 * only drops a mark, so it returns its argument.
 */
const FUNCTIONS: Readonly<Record<string, (...args: Value[]) => Value>> = {
  urlencode: (value) => encodeURIComponent(text(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  sha256: (value) => createHash('sha256').update(text(value), 'utf8').digest('hex'),
  nonsensitive: (value) => value,
  jsonencode: (value) => terraformJsonEncode(value),
  jsondecode: (value) => (value instanceof OpaqueJson ? new OpaqueObject(value.source) : JSON.parse(text(value))),
  lookup: (map, key) => index(map, text(key)),
  // element(list, i): the element at i modulo the length (Terraform docs, "element Function").
  element: (list, i) => {
    if (!Array.isArray(list) || list.length === 0 || typeof i !== 'number') throw new Error('element() needs a non-empty list and a number.');
    return list[((i % list.length) + list.length) % list.length];
  },
};

/** Terraform's `jsonencode`: object keys in lexicographic order, HTML-sensitive characters escaped. */
export function terraformJsonEncode(value: Value): string {
  const canonical = (v: Value): Value => {
    if (v instanceof OpaqueJson || v instanceof OpaqueObject) throw new Error(`jsonencode() of ${String(v)}: its content is not known offline.`);
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, Value>)[k])]));
    }
    return v;
  };
  return JSON.stringify(canonical(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Resolves the Terraform references in a string the way Terraform's template interpolation
 * would, with stand-ins: remote state outputs become the upstream contracts' examples; a
 * resource or data source attribute set in the JSON becomes that value (resolved in turn); a
 * computed one becomes its typed stand-in; the functions above are applied. Anything else (an
 * unknown computed attribute, a list in a string, an unsupported function) throws, naming the
 * expression: nothing is guessed.
 */
export function resolveTerraformString(source: string, stack: SynthesizedStackJson, options: StandInOptions): string {
  return parseTemplate(source)
    .map((part) => (typeof part === 'string' ? part : interpolate(part, evaluate(part, stack, options))))
    .join('');
}

function interpolate(expression: Expression, value: Value): string {
  if (Array.isArray(value) || (value !== null && typeof value === 'object' && !(value instanceof OpaqueJson))) {
    throw new Error(`\${${describe(expression)}} is a ${Array.isArray(value) ? 'list' : 'object'}: Terraform cannot interpolate it into a string.`);
  }
  return String(value);
}

function evaluate(expression: Expression, stack: SynthesizedStackJson, options: StandInOptions): Value {
  switch (expression.kind) {
    case 'string':
      return expression.parts.map((part) => (typeof part === 'string' ? part : interpolate(part, evaluate(part, stack, options)))).join('');
    case 'number':
      return expression.value;
    case 'call': {
      const fn = FUNCTIONS[expression.name];
      if (!fn) throw new Error(`No stand-in for the Terraform function call \${${describe(expression)}} (supported: ${Object.keys(FUNCTIONS).join(', ')}).`);
      const result = fn(...expression.args.map((arg) => evaluate(arg, stack, options)));
      return applySteps(result, expression.steps, expression, stack, options);
    }
    case 'traversal':
      return traversal(expression, stack, options);
  }
}

function traversal(expression: Extract<Expression, { kind: 'traversal' }>, stack: SynthesizedStackJson, options: StandInOptions): Value {
  const names = expression.steps.map((step) => (step.kind === 'attr' ? step.name : undefined));
  if (expression.root === 'data' && names[0] === 'terraform_remote_state') {
    const value = remoteOutput(`${names[1]}`, `${names[3]}`, names[2] === 'outputs', expression, options.contracts);
    return applySteps(value, expression.steps.slice(4), expression, stack, options);
  }
  const isData = expression.root === 'data';
  const type = isData ? names[0] : expression.root;
  const name = isData ? names[1] : names[0];
  const rest = expression.steps.slice(isData ? 2 : 1);
  if (!type || !name) throw new Error(`No stand-in for the Terraform expression \${${describe(expression)}}.`);
  const config = (isData ? stack.data : stack.resource)?.[type]?.[name];
  if (!config) throw new Error(`\${${describe(expression)}}: the stack has no ${isData ? 'data source' : 'resource'} ${type}.${name}.`);
  if (isData && type === 'aws_ssm_parameter' && names[2] === 'insecure_value') {
    return applySteps(publishedParameter(String(config['name']), expression, options.contracts), expression.steps.slice(3), expression, stack, options);
  }
  return attribute(config, isData ? `data.${type}` : type, rest, expression, stack, options);
}

/** An attribute of a resource's configuration (resolved in turn), or the computed attribute's stand-in. */
function attribute(config: Record<string, unknown>, type: string, steps: readonly Step[], expression: Expression, stack: SynthesizedStackJson, options: StandInOptions): Value {
  let value: Value = config;
  let at = 0;
  for (; at < steps.length && value !== undefined; at++) value = step(value, steps[at] as Step, stack, options);
  if (value !== undefined) return resolveDeep(value, stack, options);
  const attributePath = steps.filter((s) => s.kind === 'attr').map((s) => (s as { name: string }).name);
  const standIn = (options.computed ?? DEFAULT_COMPUTED_STAND_INS)[type]?.[attributePath[attributePath.length - 1] ?? ''];
  if (!standIn) {
    throw new Error(`\${${describe(expression)}}: ${attributePath.join('.')} is not set in the JSON (computed at apply time) and has no stand-in.`);
  }
  return standIn(resolveDeep(config, stack, options) as Record<string, unknown>);
}

function step(value: Value, s: Step, stack: SynthesizedStackJson, options: StandInOptions): Value {
  if (s.kind === 'attr') {
    if (/^\d+$/.test(s.name)) return nestedBlock(value, Number(s.name));
    return value !== null && typeof value === 'object' ? (value as Record<string, Value>)[s.name] : undefined;
  }
  const key = evaluate(s.key, stack, options);
  if (typeof key === 'number') return nestedBlock(value, key);
  return value !== null && typeof value === 'object' ? (value as Record<string, Value>)[String(key)] : undefined;
}

/** A nested block is a list in Terraform and one object in cdktf's JSON. */
function nestedBlock(value: Value, position: number): Value {
  if (Array.isArray(value)) return value[position];
  return position === 0 ? value : undefined;
}

function applySteps(value: Value, steps: readonly Step[], expression: Expression, stack: SynthesizedStackJson, options: StandInOptions): Value {
  let current = value;
  for (const s of steps) {
    current = current instanceof OpaqueObject && s.kind === 'index' ? current.get(String(evaluate(s.key, stack, options))) : step(current, s, stack, options);
    if (current === undefined) throw new Error(`\${${describe(expression)}}: no such key or index in the value.`);
  }
  return current;
}

function index(map: Value, key: string): Value {
  if (map instanceof OpaqueObject) return map.get(key);
  const value = map !== null && typeof map === 'object' ? (map as Record<string, Value>)[key] : undefined;
  if (value === undefined) throw new Error(`lookup(): the map has no key "${key}".`);
  return value;
}

/** Strings of a configuration value with their references resolved (objects and lists element by element). */
function resolveDeep(value: Value, stack: SynthesizedStackJson, options: StandInOptions): Value {
  if (typeof value === 'string') return value.includes('${') ? resolveTerraformString(value, stack, options) : value;
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, stack, options));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, stack, options)]));
  }
  return value;
}

function remoteOutput(stateId: string, output: string, isOutputs: boolean, expression: Expression, contracts: readonly OutputsContract[]): Value {
  const contract = isOutputs ? contracts.find((candidate) => remoteStateId(candidate.stackName) === stateId) : undefined;
  const declared = contract && describeContract(contract).find((candidate) => candidate.name === output);
  if (!declared) throw new Error(`\${${describe(expression)}}: no upstream contract declares this output.`);
  return declared.example;
}

/** A parameter an `ssm-parameters` contract publishes holds the JSON of its output: the contract's example, encoded as Terraform's jsonencode does. */
function publishedParameter(name: string, expression: Expression, contracts: readonly OutputsContract[]): Value {
  const published = publishedOutputOf(name, contracts);
  if (!published) throw new Error(`\${${describe(expression)}}: no upstream contract publishes the parameter ${name}.`);
  return terraformJsonEncode(published.contract.outputs[published.key]?.example);
}

function text(value: Value): string {
  if (value instanceof OpaqueJson) return value.toString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected a string, got ${Array.isArray(value) ? 'a list' : 'an object'}.`);
}

function describe(expression: Expression): string {
  switch (expression.kind) {
    case 'string':
      return `"${expression.parts.map((p) => (typeof p === 'string' ? p : `\${${describe(p)}}`)).join('')}"`;
    case 'number':
      return String(expression.value);
    case 'call':
      return `${expression.name}(${expression.args.map(describe).join(', ')})${describeSteps(expression.steps)}`;
    case 'traversal':
      return `${expression.root}${describeSteps(expression.steps)}`;
  }
}

function describeSteps(steps: readonly Step[]): string {
  return steps.map((s) => (s.kind === 'attr' ? `.${s.name}` : `[${describe(s.key)}]`)).join('');
}

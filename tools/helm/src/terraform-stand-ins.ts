import {
  type ExpressionScope,
  OutputsContract,
  SynthesizedStackJson,
  TERRAFORM_FUNCTIONS,
  TerraformExpressionError,
  type Traversal,
  containsExpression,
  describeContract,
  describeExpression,
  publishedOutputOf,
  remoteStateId,
  renderTemplate,
  stepInto,
  terraformJsonEncode,
} from '@crdb-ory/core';

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
type Path = readonly (string | number)[];

/**
 * Resolves the Terraform references in a string the way Terraform's template interpolation
 * would (core's one expression parser, evaluated strictly), with stand-ins: remote state
 * outputs become the upstream contracts' examples; a resource or data source attribute set in
 * the JSON becomes that value (resolved in turn); a computed one becomes its typed stand-in;
 * Terraform's functions apply (`jsondecode` of an opaque secret gives an opaque object).
 * Anything else (an unknown computed attribute, a list in a string, an unsupported function or
 * syntax) throws, naming the expression: nothing is guessed.
 */
export function resolveTerraformString(source: string, stack: SynthesizedStackJson, options: StandInOptions): string {
  return renderTemplate(source, standInScope(stack, options));
}

function standInScope(stack: SynthesizedStackJson, options: StandInOptions): ExpressionScope {
  return {
    resolve: (path, traversal) => reference(path, traversal, stack, options),
    functions: {
      ...TERRAFORM_FUNCTIONS,
      jsondecode: (value) => (value instanceof OpaqueJson ? new OpaqueObject(value.source) : TERRAFORM_FUNCTIONS['jsondecode']?.(value)),
      lookup: (map, key) => (map instanceof OpaqueObject ? map.get(String(key)) : TERRAFORM_FUNCTIONS['lookup']?.(map, key)),
    },
    step: (value, key) => (value instanceof OpaqueObject ? value.get(String(key)) : typeof key === 'number' ? nestedBlock(value, key) : undefined),
    text: (value) => (value instanceof OpaqueJson ? value.toString() : undefined),
  };
}

function reference(path: Path, traversal: Traversal, stack: SynthesizedStackJson, options: StandInOptions): Value {
  const scope = standInScope(stack, options);
  if (path[0] === 'data' && path[1] === 'terraform_remote_state') {
    const value = remoteOutput(`${path[2]}`, `${path[4]}`, path[3] === 'outputs', traversal, options.contracts);
    return steps(value, path.slice(5), traversal, scope);
  }
  const isData = path[0] === 'data';
  const [type, name, ...rest] = isData ? path.slice(1) : path;
  if (typeof type !== 'string' || typeof name !== 'string') throw new TerraformExpressionError(`No stand-in for the Terraform expression \${${describeExpression(traversal)}}.`);
  const config = (isData ? stack.data : stack.resource)?.[type]?.[name];
  if (!config) throw new TerraformExpressionError(`\${${describeExpression(traversal)}}: the stack has no ${isData ? 'data source' : 'resource'} ${type}.${name}.`);
  if (isData && type === 'aws_ssm_parameter' && rest[0] === 'insecure_value') {
    return steps(publishedParameter(String(config['name']), traversal, options.contracts), rest.slice(1), traversal, scope);
  }
  return attribute(config, isData ? `data.${type}` : type, rest, traversal, stack, options);
}

/** An attribute of a resource's configuration (resolved in turn), or the computed attribute's stand-in. */
function attribute(config: Record<string, unknown>, type: string, path: Path, traversal: Traversal, stack: SynthesizedStackJson, options: StandInOptions): Value {
  let value: Value = config;
  for (const key of path) {
    if (value === undefined) break;
    value = stepInto(value, key, { step: (v, k) => (typeof k === 'number' ? nestedBlock(v, k) : undefined) });
  }
  if (value !== undefined) return resolveDeep(value, stack, options);
  const attributePath = path.filter((key) => typeof key === 'string');
  const standIn = (options.computed ?? DEFAULT_COMPUTED_STAND_INS)[type]?.[attributePath[attributePath.length - 1] ?? ''];
  if (!standIn) {
    throw new TerraformExpressionError(`\${${describeExpression(traversal)}}: ${attributePath.join('.')} is not set in the JSON (computed at apply time) and has no stand-in.`);
  }
  return standIn(resolveDeep(config, stack, options) as Record<string, unknown>);
}

/** A nested block is a list in Terraform and one object in cdktf's JSON. */
function nestedBlock(value: Value, position: number): Value {
  if (Array.isArray(value)) return value[position];
  return position === 0 && value !== null && typeof value === 'object' ? value : undefined;
}

function steps(value: Value, path: Path, traversal: Traversal, scope: ExpressionScope): Value {
  let current = value;
  for (const key of path) {
    current = stepInto(current, key, scope);
    if (current === undefined) throw new TerraformExpressionError(`\${${describeExpression(traversal)}}: no such key or index in the value.`);
  }
  return current;
}

/** Strings of a configuration value with their references resolved (objects and lists element by element). */
function resolveDeep(value: Value, stack: SynthesizedStackJson, options: StandInOptions): Value {
  if (typeof value === 'string') return containsExpression(value) ? resolveTerraformString(value, stack, options) : value;
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, stack, options));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, stack, options)]));
  }
  return value;
}

function remoteOutput(stateId: string, output: string, isOutputs: boolean, traversal: Traversal, contracts: readonly OutputsContract[]): Value {
  const contract = isOutputs ? contracts.find((candidate) => remoteStateId(candidate.stackName) === stateId) : undefined;
  const declared = contract && describeContract(contract).find((candidate) => candidate.name === output);
  if (!declared) throw new TerraformExpressionError(`\${${describeExpression(traversal)}}: no upstream contract declares this output.`);
  return declared.example;
}

/** A parameter an `ssm-parameters` contract publishes holds the JSON of its output: the contract's example, encoded as Terraform's jsonencode does. */
function publishedParameter(name: string, traversal: Traversal, contracts: readonly OutputsContract[]): Value {
  const published = publishedOutputOf(name, contracts);
  if (!published) throw new TerraformExpressionError(`\${${describeExpression(traversal)}}: no upstream contract publishes the parameter ${name}.`);
  return terraformJsonEncode(published.contract.outputs[published.key]?.example);
}

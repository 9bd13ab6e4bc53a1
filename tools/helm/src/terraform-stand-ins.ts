import { OutputsContract, SynthesizedStackJson, describeContract, remoteStateId } from '@crdb-ory/core';

/**
 * Stand-ins for attributes Terraform computes at apply time (not in the synthesized JSON), by
 * resource type and attribute, each of the type and shape the real value has.
 */
export type ComputedStandIns = Readonly<Record<string, Readonly<Record<string, (config: Readonly<Record<string, unknown>>) => string>>>>;

/** Computed attributes the Ory stack's Helm values and Secrets read. */
export const DEFAULT_COMPUTED_STAND_INS: ComputedStandIns = {
  // Kubernetes resourceVersion: an opaque string of digits.
  kubernetes_secret_v1: { resource_version: () => '4711' },
  kubernetes_namespace_v1: { resource_version: () => '4711' },
  // random_password.result: `length` letters and digits, as the resource generates them.
  random_password: { result: (config) => 'Aa0'.repeat(Math.ceil(Number(config['length'] ?? 32) / 3)).slice(0, Number(config['length'] ?? 32)) },
};

export interface StandInOptions {
  /** Contracts of the upstream stacks: remote state outputs become their examples (as `override_data` in the mocked apply). */
  readonly contracts: readonly OutputsContract[];
  /** @default DEFAULT_COMPUTED_STAND_INS */
  readonly computed?: ComputedStandIns;
}

const TRAVERSAL = /^[a-z_][\w-]*(?:\.[\w-]+|\[\d+\])+$/i;
const FUNCTIONS: Readonly<Record<string, (value: string) => string>> = {
  urlencode: (value) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
};

/**
 * Resolves the Terraform references in a string the way Terraform's template interpolation
 * would, with stand-ins: remote state outputs become the upstream contracts' examples; a
 * resource attribute set in the JSON becomes that value (resolved in turn); a computed one
 * becomes its typed stand-in. Anything else (an unknown computed attribute, a list in a
 * string, an unsupported function) throws, naming the expression: nothing is guessed.
 */
export function resolveTerraformString(text: string, stack: SynthesizedStackJson, options: StandInOptions): string {
  return replaceExpressions(text, (expression) => resolveExpression(expression, stack, options));
}

function replaceExpressions(text: string, resolve: (expression: string) => string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf('${', at);
    if (start < 0) break;
    let depth = 0;
    let end = -1;
    for (let i = start + 2; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end < 0) throw new Error(`Unterminated Terraform expression in: ${text.slice(start, start + 80)}`);
    out += text.slice(at, start) + resolve(text.slice(start + 2, end).trim());
    at = end + 1;
  }
  return out + text.slice(at);
}

function resolveExpression(expression: string, stack: SynthesizedStackJson, options: StandInOptions): string {
  const call = /^([a-z]+)\((.*)\)$/.exec(expression);
  if (call) {
    const fn = FUNCTIONS[call[1] ?? ''];
    if (!fn) throw new Error(`No stand-in for the Terraform function call \${${expression}} (supported: ${Object.keys(FUNCTIONS).join(', ')}).`);
    return fn(resolveExpression((call[2] ?? '').trim(), stack, options));
  }
  if (!TRAVERSAL.test(expression)) throw new Error(`No stand-in for the Terraform expression \${${expression}}.`);
  const value = expression.startsWith('data.terraform_remote_state.') ? remoteOutput(expression, options.contracts) : resourceAttribute(expression, stack, options);
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    throw new Error(`\${${expression}} is a ${Array.isArray(value) ? 'list' : 'object'}: Terraform cannot interpolate it into a string.`);
  }
  const text = String(value);
  return text.includes('${') ? resolveTerraformString(text, stack, options) : text;
}

function remoteOutput(expression: string, contracts: readonly OutputsContract[]): unknown {
  const match = /^data\.terraform_remote_state\.([\w-]+)\.outputs\.(\w+)$/.exec(expression);
  const contract = match && contracts.find((candidate) => remoteStateId(candidate.stackName) === match[1]);
  const output = contract && describeContract(contract).find((candidate) => candidate.name === match[2]);
  if (!output) throw new Error(`\${${expression}}: no upstream contract declares this output.`);
  return output.example;
}

function resourceAttribute(expression: string, stack: SynthesizedStackJson, options: StandInOptions): unknown {
  const [type = '', name = '', ...path] = expression.split(/\.|(?=\[)/);
  const config = stack.resource?.[type]?.[name];
  if (!config) throw new Error(`\${${expression}}: the stack has no resource ${type}.${name}.`);
  let value: unknown = config;
  for (const step of path) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      // A nested block is a list in Terraform and one object in cdktf's JSON.
      value = Array.isArray(value) ? value[Number(index[1])] : Number(index[1]) === 0 ? value : undefined;
    } else {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[step] : undefined;
    }
    if (value === undefined) break;
  }
  if (value !== undefined) return value;
  const attribute = path.filter((step) => !step.startsWith('[')).join('.');
  const standIn = (options.computed ?? DEFAULT_COMPUTED_STAND_INS)[type]?.[attribute.split('.').pop() ?? ''];
  if (!standIn) throw new Error(`\${${expression}}: ${attribute} is not set in the JSON (computed at apply time) and has no stand-in.`);
  return standIn(config);
}

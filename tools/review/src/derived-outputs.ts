import { OutputsContract, SynthesizedStackJson, UNKNOWN, describeContract, evaluateLeniently, publishedOutputOf, remoteStateId, terraformOutputName } from '@crdb-ory/core';
import { AwsLocation, MOCK_ACCOUNT, arnOf, awsLocationOf, relocate } from './aws-mock-defaults';

/** One output of an upstream stack as the review mocks it, and where the value came from. */
export interface MockedOutput {
  readonly value: unknown;
  /** `derived`: from the synthesized upstream stack (its configuration); `example`: the contract's example, moved to the stack's region. */
  readonly origin: 'derived' | 'example';
}

/** Output name -> mocked value, per stack name. */
export type UpstreamValues = ReadonlyMap<string, Readonly<Record<string, MockedOutput>>>;

/**
 * What each stack will publish, as far as the synthesized JSON determines it: an output that
 * is a literal, a template or a function of literals, of literal resource arguments (a VPC's
 * `cidr_block`, a zone's `name`), of ARNs built from literal names (an EKS cluster's `arn`), or
 * of another stack's outputs (through remote state), is derived; anything computed by AWS (ids,
 * endpoints) is the contract's example in the stack's region. Downstream stacks' remote state is
 * mocked with these values, so a non-default configuration (another region, cluster name, zone,
 * CIDRs) is reviewed with the inputs it would really get.
 */
export function deriveUpstreamValues(stacks: ReadonlyMap<string, SynthesizedStackJson>, contracts: readonly OutputsContract[]): UpstreamValues {
  const derived = new Map<string, Record<string, MockedOutput>>();
  const inProgress = new Set<string>();
  const outputsOf = (stackName: string): Record<string, MockedOutput> | undefined => {
    if (derived.has(stackName)) return derived.get(stackName);
    const json = stacks.get(stackName);
    const contract = contracts.find((candidate) => candidate.stackName === stackName);
    if (!json || !contract || inProgress.has(stackName)) return undefined;
    inProgress.add(stackName);
    const values = stackOutputs(json, contract, (upstream) => outputsOf(upstream), contracts);
    inProgress.delete(stackName);
    derived.set(stackName, values);
    return values;
  };
  for (const name of stacks.keys()) outputsOf(name);
  return derived;
}

/** The contract's examples for a stack that is not in this synthesis, moved to `location`. */
export function exampleValues(contract: OutputsContract, location: AwsLocation): Record<string, MockedOutput> {
  return Object.fromEntries(describeContract(contract).map((output) => [output.name, { value: relocate(output.example, location), origin: 'example' as const }]));
}

function stackOutputs(
  json: SynthesizedStackJson,
  contract: OutputsContract,
  upstream: (stackName: string) => Record<string, MockedOutput> | undefined,
  contracts: readonly OutputsContract[],
): Record<string, MockedOutput> {
  const location = awsLocationOf(json);
  const resolve = referenceResolver(json, location, upstream, contracts);
  const examples = exampleValues(contract, location);
  return Object.fromEntries(
    Object.entries(examples).map(([name, example]) => {
      const expression = json.output?.[name]?.value;
      const value = expression === undefined ? UNKNOWN : evaluateLeniently(expression, resolve);
      return [name, value === UNKNOWN ? example : { value, origin: 'derived' as const }];
    }),
  );
}

function referenceResolver(
  json: SynthesizedStackJson,
  location: AwsLocation,
  upstream: (stackName: string) => Record<string, MockedOutput> | undefined,
  contracts: readonly OutputsContract[],
): (path: readonly (string | number)[]) => unknown {
  const seen = new Set<string>();
  const resolve = (path: readonly (string | number)[]): unknown => {
    const key = path.join('.');
    if (seen.has(key)) return UNKNOWN;
    seen.add(key);
    try {
      if (path[0] === 'data') return dataValue(json, path.slice(1), location, upstream, contracts, resolve);
      return resourceValue(json, path, location, resolve);
    } finally {
      seen.delete(key);
    }
  };
  return resolve;
}

function resourceValue(json: SynthesizedStackJson, path: readonly (string | number)[], location: AwsLocation, resolve: (path: readonly (string | number)[]) => unknown): unknown {
  const [type, name, attribute, ...rest] = path;
  if (typeof type !== 'string' || typeof name !== 'string' || typeof attribute !== 'string' || rest.length > 0) return UNKNOWN;
  const args = json.resource?.[type]?.[name];
  if (!args) return UNKNOWN;
  if (attribute in args) return evaluateLeniently(args[attribute], resolve);
  if (attribute === 'arn') {
    const literalArgs = Object.fromEntries(Object.entries(args).map(([key, value]) => [key, evaluateLeniently(value, resolve)]));
    return arnOf(type, literalArgs, location) ?? UNKNOWN;
  }
  if (attribute === 'region') return location.region;
  return UNKNOWN;
}

function dataValue(
  json: SynthesizedStackJson,
  path: readonly (string | number)[],
  location: AwsLocation,
  upstream: (stackName: string) => Record<string, MockedOutput> | undefined,
  contracts: readonly OutputsContract[],
  resolve: (path: readonly (string | number)[]) => unknown,
): unknown {
  const [type, name, attribute, output, ...rest] = path;
  if (type === 'terraform_remote_state' && attribute === 'outputs' && typeof output === 'string') {
    const contract = contracts.find((candidate) => remoteStateId(candidate.stackName) === name);
    const value = contract ? upstream(contract.stackName)?.[output]?.value : undefined;
    return value === undefined ? UNKNOWN : rest.reduce<unknown>((node, part) => (Array.isArray(node) && typeof part === 'number' ? node[part] : UNKNOWN), value);
  }
  if (type === 'aws_ssm_parameter' && attribute === 'insecure_value' && output === undefined && typeof name === 'string') {
    // A parameter an upstream stack publishes holds the JSON of its output.
    const published = publishedOutputOf(String(json.data?.[type]?.[name]?.['name'] ?? ''), contracts);
    const value = published ? upstream(published.contract.stackName)?.[terraformOutputName(published.key)]?.value : undefined;
    return value === undefined ? UNKNOWN : JSON.stringify(value);
  }
  if (rest.length > 0 || output !== undefined) return UNKNOWN;
  if (type === 'aws_caller_identity' && attribute === 'account_id') return MOCK_ACCOUNT;
  if (type === 'aws_region' && attribute === 'name') return location.region;
  if (type === 'aws_partition' && attribute === 'partition') return location.partition;
  const args = typeof type === 'string' && typeof name === 'string' ? (json.data?.[type]?.[name] as Record<string, unknown> | undefined) : undefined;
  return args && typeof attribute === 'string' && attribute in args ? evaluateLeniently(args[attribute], resolve) : UNKNOWN;
}

/**
 * Outputs contracts without any Terraform CDK dependency: what a consumer (the verification
 * CLI) imports to read a stack's output names cheaply (`@crdb-ory/core/contract`). Publishing
 * them on a stack is `publishOutputs` in `outputs-contract.ts`.
 */
/** The Terraform value kinds an output can carry across stacks. */
export type OutputType = 'string' | 'number' | 'list';

/** One output of a stack's public contract. */
export interface OutputSpec<T extends OutputType = OutputType> {
  /** Value kind. Lists are lists of strings. */
  readonly type: T;
  /** What the value is, for `terraform output`, the review report and consumers' IDEs. */
  readonly description: string;
  /**
   * A realistic value with the real shape (ids, ARNs, CIDRs), used to mock this output
   * where a downstream stack is checked without its upstream state (terraform test).
   */
  readonly example: OutputValue<T>;
  /** Marks the output sensitive in Terraform. @default false */
  readonly sensitive?: boolean;
}

/** The TypeScript type of an output of kind `T`. */
export type OutputValue<T extends OutputType> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : string[];

export type OutputSpecs = Record<string, OutputSpec>;

/** The values a stack must publish to fulfil its contract: every key, with the right type. */
export type ContractValues<S extends OutputSpecs> = { readonly [K in keyof S]: OutputValue<S[K]['type']> };

/**
 * How downstream stacks read a stack's outputs:
 * - `remote-state`: `terraform_remote_state` on the stack's state. Reading remote state reads the
 *   whole state snapshot, every sensitive value in it included (Terraform docs, "The
 *   terraform_remote_state Data Source": "the full state snapshot ... must be accessible"), so only
 *   a stack whose state holds no secret may publish this way.
 * - `ssm-parameters`: one SSM Parameter Store `String` parameter per output, which the stack
 *   writes and readers read (`aws_ssm_parameter`): readers need access to those parameters only,
 *   never to the stack's state. Only non-secret values may be published this way (the parameters
 *   are plain `String`s, shown in plans). The stack's Terraform outputs are published as well.
 */
export type OutputsChannel = 'remote-state' | 'ssm-parameters';

/**
 * A stack's public outputs contract: the stack name (which is also its state key), its
 * outputs and the channel that publishes them. Output names in Terraform (and SSM parameter
 * names) are the snake_case form of the keys and never change.
 */
export interface OutputsContract<S extends OutputSpecs = OutputSpecs> {
  readonly stackName: string;
  readonly outputs: S;
  /** @default 'remote-state' */
  readonly channel?: OutputsChannel;
}

export interface OutputsContractOptions {
  /** How downstream stacks read the outputs. @default 'remote-state' */
  readonly channel?: OutputsChannel;
}

/** Declares a stack's outputs contract. Keys are camelCase; Terraform names are snake_case. */
export function defineOutputsContract<S extends OutputSpecs>(stackName: string, outputs: S, options: OutputsContractOptions = {}): OutputsContract<S> {
  for (const key of Object.keys(outputs)) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) {
      throw new Error(`Output "${key}" of stack "${stackName}" must be camelCase (letters and digits).`);
    }
  }
  return { stackName, outputs, ...(options.channel && options.channel !== 'remote-state' ? { channel: options.channel } : {}) };
}

/** The channel of a contract (`remote-state` unless it says otherwise). */
export function channelOf(contract: OutputsContract): OutputsChannel {
  return contract.channel ?? 'remote-state';
}

/**
 * The SSM parameter an `ssm-parameters` contract publishes an output to:
 * `/<namePrefix>/<stack>/<output_name>`. The name prefix keeps two environments of one account
 * apart; the rest is the contract's, so it never changes.
 */
export function publishedParameterName(namePrefix: string, stackName: string, key: string): string {
  return `${publishedParametersPath(namePrefix, stackName)}/${terraformOutputName(key)}`;
}

/** The path under which a stack publishes its parameters: `/<namePrefix>/<stack>` (IAM grants `<path>/*`). */
export function publishedParametersPath(namePrefix: string, stackName: string): string {
  return `/${namePrefix}/${stackName}`;
}

/** The stack and output name of a published parameter's name (`/<prefix>/<stack>/<output_name>`), or undefined. */
export function parsePublishedParameterName(name: string): { readonly stackName: string; readonly outputName: string } | undefined {
  const match = /^\/[^/]+\/([^/]+)\/([a-z0-9_]+)$/.exec(name);
  const [, stackName, outputName] = match ?? [];
  return stackName && outputName ? { stackName, outputName } : undefined;
}

/** The contract output a published parameter holds (by its name), when `contracts` has it. */
export function publishedOutputOf(name: string, contracts: readonly OutputsContract[]): { readonly contract: OutputsContract; readonly key: string } | undefined {
  const parsed = parsePublishedParameterName(name);
  const contract = parsed && contracts.find((candidate) => candidate.stackName === parsed.stackName && channelOf(candidate) === 'ssm-parameters');
  const key = contract && Object.keys(contract.outputs).find((candidate) => terraformOutputName(candidate) === parsed?.outputName);
  return contract && key ? { contract, key } : undefined;
}

/** Construct id (and data source name) of the read of one published parameter; the review mocks it by this address. */
export function publishedParameterId(stackName: string, key: string): string {
  return `published-${stackName}-${terraformOutputName(key)}`;
}

/** The stable Terraform output name of a contract key: `cockroachVpcId` -> `cockroach_vpc_id`. */
export function terraformOutputName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Every output of the contract with its Terraform name, example and description. */
export function describeContract(contract: OutputsContract): Array<{ key: string; name: string } & OutputSpec> {
  return Object.entries(contract.outputs).map(([key, spec]) => ({ key, name: terraformOutputName(key), ...spec }));
}

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
 * A stack's public outputs contract: the stack name (which is also its state key) and its
 * outputs. Output names in Terraform are the snake_case form of the keys and never change.
 */
export interface OutputsContract<S extends OutputSpecs = OutputSpecs> {
  readonly stackName: string;
  readonly outputs: S;
}

/** Declares a stack's outputs contract. Keys are camelCase; Terraform names are snake_case. */
export function defineOutputsContract<S extends OutputSpecs>(stackName: string, outputs: S): OutputsContract<S> {
  for (const key of Object.keys(outputs)) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) {
      throw new Error(`Output "${key}" of stack "${stackName}" must be camelCase (letters and digits).`);
    }
  }
  return { stackName, outputs };
}

/** The stable Terraform output name of a contract key: `cockroachVpcId` -> `cockroach_vpc_id`. */
export function terraformOutputName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Every output of the contract with its Terraform name, example and description. */
export function describeContract(contract: OutputsContract): Array<{ key: string; name: string } & OutputSpec> {
  return Object.entries(contract.outputs).map(([key, spec]) => ({ key, name: terraformOutputName(key), ...spec }));
}

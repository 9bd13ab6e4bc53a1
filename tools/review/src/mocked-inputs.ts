import { OutputsContract, SynthesizedStackJson, describeContract, remoteStateId } from '@crdb-ory/core';

/** A `terraform_remote_state` input of a stack and what it is mocked with. */
export interface UpstreamInput {
  /** Data source name, e.g. `remote-state-network`. */
  readonly dataSource: string;
  /** The upstream contract the mock is built from; undefined when no registered contract matches. */
  readonly contract?: OutputsContract;
  /** Output name -> example value. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * Every remote state input of the stack, matched to an upstream contract by its id
 * (`remoteStateId(<stack>)`) or the state it reads (`<stack>.tfstate`), its mock built from
 * the contract's examples.
 */
export function upstreamInputs(json: SynthesizedStackJson, contracts: readonly OutputsContract[]): UpstreamInput[] {
  const sources = json.data?.['terraform_remote_state'] ?? {};
  return Object.entries(sources).map(([dataSource, config]) => {
    const contract = contracts.find((candidate) => dataSource === remoteStateId(candidate.stackName) || readsStateOf(config, candidate.stackName));
    return { dataSource, ...(contract ? { contract } : {}), outputs: contract ? exampleOutputs(contract) : {} };
  });
}

/** The contract's outputs by Terraform name, valued with their examples. */
export function exampleOutputs(contract: OutputsContract): Record<string, unknown> {
  return Object.fromEntries(describeContract(contract).map((output) => [output.name, output.example]));
}

function readsStateOf(config: Record<string, unknown>, stackName: string): boolean {
  const settings = (config['config'] ?? {}) as Record<string, unknown>;
  const location = String(settings['path'] ?? settings['key'] ?? '');
  return location.endsWith(`/${stackName}.tfstate`) || location.endsWith(`.${stackName}.tfstate`) || location === `${stackName}.tfstate`;
}

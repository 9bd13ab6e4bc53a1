import { OutputsContract, SynthesizedStackJson, remoteStateId } from '@crdb-ory/core';
import { awsLocationOf } from './aws-mock-defaults';
import { MockedOutput, UpstreamValues, exampleValues } from './derived-outputs';

/** A `terraform_remote_state` input of a stack and what it is mocked with. */
export interface UpstreamInput {
  /** Data source name, e.g. `remote-state-network`. */
  readonly dataSource: string;
  /** The upstream contract the mock is built from; undefined when no registered contract matches. */
  readonly contract?: OutputsContract;
  /** Output name -> mocked value. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Output names whose value was derived from the synthesized upstream stack (the rest are contract examples). */
  readonly derived: readonly string[];
}

/**
 * Every remote state input of the stack, matched to an upstream contract by its id
 * (`remoteStateId(<stack>)`) or the state it reads (`<stack>.tfstate`). Its mock is what the
 * synthesized upstream stack will publish (`values`, see `deriveUpstreamValues`) where known,
 * else the contract's examples in this stack's region.
 */
export function upstreamInputs(json: SynthesizedStackJson, contracts: readonly OutputsContract[], values: UpstreamValues = new Map()): UpstreamInput[] {
  const sources = json.data?.['terraform_remote_state'] ?? {};
  return Object.entries(sources).map(([dataSource, config]) => {
    const contract = contracts.find((candidate) => dataSource === remoteStateId(candidate.stackName) || readsStateOf(config, candidate.stackName));
    if (!contract) return { dataSource, outputs: {}, derived: [] };
    const mocked: Readonly<Record<string, MockedOutput>> = values.get(contract.stackName) ?? exampleValues(contract, awsLocationOf(json));
    return {
      dataSource,
      contract,
      outputs: Object.fromEntries(Object.entries(mocked).map(([name, output]) => [name, output.value])),
      derived: Object.entries(mocked)
        .filter(([, output]) => output.origin === 'derived')
        .map(([name]) => name),
    };
  });
}

function readsStateOf(config: Record<string, unknown>, stackName: string): boolean {
  const settings = (config['config'] ?? {}) as Record<string, unknown>;
  const location = String(settings['path'] ?? settings['key'] ?? '');
  return location.endsWith(`/${stackName}.tfstate`) || location.endsWith(`.${stackName}.tfstate`) || location === `${stackName}.tfstate`;
}

import { OutputsContract, SynthesizedStackJson, publishedOutputOf, remoteStateId, terraformOutputName } from '@crdb-ory/core';
import { awsLocationOf } from './aws-mock-defaults';
import { MockedOutput, UpstreamValues, exampleValues } from './derived-outputs';

/** An upstream input of a stack (a `terraform_remote_state`, or the SSM parameters an upstream stack publishes) and what it is mocked with. */
export interface UpstreamInput {
  /** How the stack reads it. @default 'remote-state' */
  readonly channel?: 'remote-state' | 'ssm-parameters';
  /** Data source name, e.g. `remote-state-network`; for published parameters, the upstream stack's name. */
  readonly dataSource: string;
  /** Published parameters only: output name -> the `aws_ssm_parameter` data source that reads it. */
  readonly parameters?: Readonly<Record<string, string>>;
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
  return [...remoteStateInputs(json, contracts, values), ...publishedInputs(json, contracts, values)];
}

/** What the synthesized upstream stack will publish, else its contract's examples in this stack's region. */
function mockedOutputs(json: SynthesizedStackJson, contract: OutputsContract, values: UpstreamValues): Readonly<Record<string, MockedOutput>> {
  return values.get(contract.stackName) ?? exampleValues(contract, awsLocationOf(json));
}

/**
 * The `aws_ssm_parameter` reads of parameters an `ssm-parameters` contract publishes
 * (`/<prefix>/<stack>/<output>`), one input per upstream stack: each parameter is mocked with the
 * JSON of its output, as the publishing stack writes it.
 */
function publishedInputs(json: SynthesizedStackJson, contracts: readonly OutputsContract[], values: UpstreamValues): UpstreamInput[] {
  const byStack = new Map<OutputsContract, Record<string, string>>();
  for (const [dataSource, config] of Object.entries(json.data?.['aws_ssm_parameter'] ?? {})) {
    const published = publishedOutputOf(String(config['name'] ?? ''), contracts);
    if (!published) continue;
    byStack.set(published.contract, { ...byStack.get(published.contract), [terraformOutputName(published.key)]: dataSource });
  }
  return [...byStack.entries()].map(([contract, parameters]) => {
    const mocked = mockedOutputs(json, contract, values);
    const read = (name: string) => name in parameters;
    return {
      channel: 'ssm-parameters' as const,
      dataSource: contract.stackName,
      contract,
      parameters,
      outputs: Object.fromEntries(Object.entries(mocked).filter(([name]) => read(name)).map(([name, output]) => [name, output.value])),
      derived: Object.entries(mocked).filter(([name, output]) => read(name) && output.origin === 'derived').map(([name]) => name),
    };
  });
}

function remoteStateInputs(json: SynthesizedStackJson, contracts: readonly OutputsContract[], values: UpstreamValues): UpstreamInput[] {
  const sources = json.data?.['terraform_remote_state'] ?? {};
  return Object.entries(sources).map(([dataSource, config]) => {
    const contract = contracts.find((candidate) => dataSource === remoteStateId(candidate.stackName) || readsStateOf(config, candidate.stackName));
    if (!contract) return { dataSource, outputs: {}, derived: [] };
    const mocked = mockedOutputs(json, contract, values);
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

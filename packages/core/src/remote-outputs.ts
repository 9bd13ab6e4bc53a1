import { TerraformRemoteState } from 'cdktf';
import { Construct } from 'constructs';
import { OutputSpecs, OutputsContract, OutputValue, terraformOutputName } from './outputs-contract';
import { StateBackendConfig, remoteStateFor } from './state-backend';

/** The upstream outputs as typed Terraform references. */
export type RemoteOutputs<S extends OutputSpecs> = { readonly [K in keyof S]: OutputValue<S[K]['type']> };

/** Construct id of the remote state data source for `stackName`; `terraform test` mocks it by this address. */
export function remoteStateId(stackName: string): string {
  return `remote-state-${stackName}`;
}

/**
 * Reads an upstream stack's published outputs through remote state. The only way stacks
 * hand values to each other: the names come from the contract, never from strings.
 */
export function readRemoteOutputs<S extends OutputSpecs>(
  scope: Construct,
  contract: OutputsContract<S>,
  backend: StateBackendConfig,
): RemoteOutputs<S> {
  const state = remoteStateFor(scope, remoteStateId(contract.stackName), contract.stackName, backend);
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(contract.outputs)) {
    values[key] = readOne(state, terraformOutputName(key), spec.type);
  }
  return values as RemoteOutputs<S>;
}

function readOne(state: TerraformRemoteState, name: string, type: OutputSpecs[string]['type']): unknown {
  switch (type) {
    case 'string':
      return state.getString(name);
    case 'number':
      return state.getNumber(name);
    case 'list':
      return state.getList(name);
  }
}

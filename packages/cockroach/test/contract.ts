import { OutputsContract, terraformOutputName } from '@crdb-ory/core';

export { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '../src';

export function terraformOutputNames(contract: OutputsContract): string[] {
  return Object.keys(contract.outputs).map(terraformOutputName).sort();
}

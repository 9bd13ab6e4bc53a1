import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { ContractValues, OutputSpecs, OutputsContract } from './contract';
import { terraformOutputName } from './contract';

export * from './contract';

/**
 * Publishes every output of `contract` on `scope`'s stack. The type parameter makes a
 * missing or mistyped value a compile error; a stray key is a run-time error.
 */
export function publishOutputs<S extends OutputSpecs>(
  scope: Construct,
  contract: OutputsContract<S>,
  values: ContractValues<S>,
): void {
  for (const key of Object.keys(values)) {
    if (!(key in contract.outputs)) {
      throw new Error(`Stack "${contract.stackName}" publishes "${key}", which its outputs contract does not declare.`);
    }
  }
  for (const [key, spec] of Object.entries(contract.outputs)) {
    new TerraformOutput(scope, terraformOutputName(key), {
      value: values[key as keyof S],
      description: spec.description,
      sensitive: spec.sensitive ?? false,
    });
  }
}

import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ContractValues, OutputSpecs, OutputsContract } from './contract';
import { channelOf, terraformOutputName } from './contract';
import { publishParameters } from './published-parameters';

export * from './contract';

/**
 * Publishes every output of `contract` on `scope`'s stack as Terraform outputs and, for an
 * `ssm-parameters` contract, as SSM parameters too (named from the stack's `namePrefix`: see
 * `ProductStack`). The type parameter makes a missing or mistyped value a compile error; a stray
 * key is a run-time error.
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
  if (channelOf(contract) === 'ssm-parameters') {
    const sensitive = Object.entries(contract.outputs).filter(([, spec]) => spec.sensitive).map(([key]) => key);
    if (sensitive.length > 0) throw new Error(`Stack "${contract.stackName}" publishes through SSM parameters, which hold no secret; ${sensitive.join(', ')} ${sensitive.length === 1 ? 'is' : 'are'} sensitive.`);
    publishParameters(scope, contract, values, namePrefixOf(scope, contract.stackName));
    (TerraformStack.of(scope) as Partial<{ recordPublishedParameters: () => void }>).recordPublishedParameters?.();
  }
}

/** The `namePrefix` of the product stack `scope` belongs to (`ProductStack` keeps it). */
function namePrefixOf(scope: Construct, stackName: string): string {
  const prefix = (TerraformStack.of(scope) as Partial<{ namePrefix: unknown }>).namePrefix;
  if (typeof prefix !== 'string') throw new Error(`Stack "${stackName}" publishes through SSM parameters named from its name prefix: it must be a ProductStack.`);
  return prefix;
}

import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Fn, IResolvable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { ContractValues, OutputSpecs, OutputsContract, OutputType } from './contract';
import { publishedParameterId, publishedParameterName } from './contract';
import type { RemoteOutputs } from './remote-outputs';

/**
 * Publishes every output of `contract` as its own SSM `String` parameter,
 * `/<namePrefix>/<stack>/<output_name>`, holding the JSON encoding of the value (so empty strings
 * and lists survive: SSM refuses an empty value). `insecure_value`: the values are public by
 * contract, and plans show them for review. Standard tier (free, 4 KB; a certificate fits).
 */
export function publishParameters<S extends OutputSpecs>(scope: Construct, contract: OutputsContract<S>, values: ContractValues<S>, namePrefix: string): SsmParameter[] {
  return Object.entries(contract.outputs).map(
    ([key, spec]) =>
      new SsmParameter(scope, publishedParameterId(contract.stackName, key), {
        name: publishedParameterName(namePrefix, contract.stackName, key),
        description: `${contract.stackName}: ${spec.description}`.slice(0, 1024),
        type: 'String',
        tier: 'Standard',
        insecureValue: Fn.jsonencode(values[key as keyof S]),
      }),
  );
}

/**
 * Typed references to an upstream stack's outputs, read from the SSM parameters it publishes
 * (`aws_ssm_parameter`, one per output, named `publishedParameterId`): the reader needs
 * `ssm:GetParameter` on those parameters, and no access to the upstream stack's state.
 */
export function readPublishedParameters<S extends OutputSpecs>(scope: Construct, contract: OutputsContract<S>, namePrefix: string): RemoteOutputs<S> {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(contract.outputs)) {
    const parameter = new DataAwsSsmParameter(scope, publishedParameterId(contract.stackName, key), { name: publishedParameterName(namePrefix, contract.stackName, key) });
    values[key] = typed(Fn.jsondecode(parameter.insecureValue), spec.type);
  }
  return values as RemoteOutputs<S>;
}

function typed(value: IResolvable, type: OutputType): unknown {
  switch (type) {
    case 'string':
      return Token.asString(value);
    case 'number':
      return Token.asNumber(value);
    case 'list':
      return Token.asList(value);
  }
}

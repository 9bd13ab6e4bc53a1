import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { OutputSpecs, OutputsContract } from './outputs-contract';
import { RemoteOutputs, readRemoteOutputs } from './remote-outputs';
import { StateBackendConfig, configureStateBackend } from './state-backend';

export interface ProductStackProps {
  /** Where this stack's state lives, and where upstream stacks' state is read from. */
  readonly stateBackend: StateBackendConfig;
}

/**
 * A stack of this product: its construct id is its stack name (and state key), which is
 * API: renaming it makes Terraform plan a new, empty stack.
 */
export class ProductStack extends TerraformStack {
  readonly stackName: string;
  readonly stateBackend: StateBackendConfig;

  constructor(scope: Construct, stackName: string, props: ProductStackProps) {
    super(scope, stackName);
    this.stackName = stackName;
    this.stateBackend = props.stateBackend;
    configureStateBackend(this, stackName, props.stateBackend);
  }

  /** Typed references to an upstream stack's outputs, read through remote state. */
  readUpstream<S extends OutputSpecs>(contract: OutputsContract<S>): RemoteOutputs<S> {
    return readRemoteOutputs(this, contract, this.stateBackend);
  }
}

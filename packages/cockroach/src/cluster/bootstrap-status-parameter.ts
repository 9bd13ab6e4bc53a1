import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Construct } from 'constructs';
import { BOOTSTRAP_PENDING_VALUE } from '../bootstrap-status';

export interface BootstrapStatusParameterProps {
  /** `bootstrapStatusParameterName(namePrefix)`. */
  readonly parameterName: string;
}

/**
 * The SSM parameter node 1's bootstrap overwrites when it has finished (see bootstrap-status.ts).
 * Terraform creates it as pending and never writes the value again (`ignore_changes`), so a plain
 * apply does not undo a finished bootstrap; destroying the stack deletes it, so a new cluster
 * starts pending. Node 1 is created after it (its bootstrap must overwrite, not create, it).
 */
export class BootstrapStatusParameter extends Construct {
  readonly parameter: SsmParameter;

  constructor(scope: Construct, id: string, props: BootstrapStatusParameterProps) {
    super(scope, id);
    this.parameter = new SsmParameter(this, 'parameter', {
      name: props.parameterName,
      type: 'String',
      tier: 'Standard',
      description: "Whether node 1's CockroachDB bootstrap has finished: the ory stack's plan checks it.",
      value: BOOTSTRAP_PENDING_VALUE,
      lifecycle: { ignoreChanges: ['value'] },
    });
  }
}

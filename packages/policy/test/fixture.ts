import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { EMPTY_POLICY_CONTEXT, Finding, PolicyContext, PolicyRule, evaluateStack } from '../src';

/** The context the app builds: both VPCs, by literal CIDR and by network-contract reference. */
export const CONTEXT: PolicyContext = {
  vpcs: [
    { role: 'cockroach', cidr: '10.10.0.0/16', references: ['data.terraform_remote_state.remote-state-network.outputs.cockroach_vpc_cidr', 'data.terraform_remote_state.remote-state-network.outputs.cockroach_private_subnet_cidrs'] },
    { role: 'ory', cidr: '10.20.0.0/16', references: ['data.terraform_remote_state.remote-state-network.outputs.ory_vpc_cidr', 'data.terraform_remote_state.remote-state-network.outputs.ory_private_subnet_cidrs'] },
  ],
};

/** A fresh stack with an AWS provider, for one fixture. */
export function fixtureStack(name = 'fixture'): TerraformStack {
  const stack = new TerraformStack(new App(), name);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

/** Builds a fixture stack and returns the findings of `rule` on it. */
export function findings(rule: PolicyRule, build: (stack: TerraformStack) => void, context: PolicyContext = CONTEXT): Finding[] {
  const stack = fixtureStack();
  build(stack);
  return [...evaluateStack(stack, { name: 'test', rules: [rule] }, context).findings];
}

export { EMPTY_POLICY_CONTEXT };

import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { OutputsContract, describeContract, remoteStateId } from '@crdb-ory/core';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';

/** The contracts of the stacks the Ory stack reads through remote state. */
export const UPSTREAM_CONTRACTS: readonly OutputsContract[] = [NETWORK_OUTPUTS, COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS, EKS_OUTPUTS];

/** `${data.terraform_remote_state.<id>.outputs.<name>}` -> the contract's example, as Terraform would resolve it. */
const EXAMPLES = new Map(
  UPSTREAM_CONTRACTS.flatMap((contract) =>
    describeContract(contract).map((output) => [`\${data.terraform_remote_state.${remoteStateId(contract.stackName)}.outputs.${output.name}}`, output.example]),
  ),
);

/** Replaces upstream references in a value by the upstream contracts' examples (what `override_data` does in terraform test). */
export function withUpstreamExamples<T>(value: T): T {
  if (typeof value === 'string') {
    const whole = EXAMPLES.get(value);
    if (whole !== undefined) return whole as T;
    return value.replace(/\$\{data\.terraform_remote_state\.[^}]+\}/g, (reference) => String(EXAMPLES.get(reference) ?? reference)) as T;
  }
  if (Array.isArray(value)) return value.map((item) => withUpstreamExamples(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withUpstreamExamples(item)])) as T;
  }
  return value;
}

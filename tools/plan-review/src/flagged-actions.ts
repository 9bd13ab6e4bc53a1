import type { StackPlanReview } from './stack-plan-review';

/** Every flagged address as `"<rule id> <stack> <address>"`, sorted, acknowledged or not: what another tool asserts on. */
export function flaggedActions(stacks: readonly StackPlanReview[]): string[] {
  return stacks.flatMap((stack) => stack.findings.flatMap((finding) => finding.addresses.map((address) => `${finding.ruleId} ${finding.stack} ${address}`))).sort();
}

import type { StackPlanReview } from './review-plan';

export interface PlanReviewVerdict {
  /** No unacknowledged dangerous action: the plans may be applied as reviewed. */
  readonly ok: boolean;
  readonly unacknowledged: number;
  readonly acknowledged: number;
  /** The stacks with an unacknowledged dangerous action, in review order. */
  readonly blockingStacks: readonly string[];
  /** One line for the end of the report and the CLI. */
  readonly line: string;
}

export function planReviewVerdict(stacks: readonly StackPlanReview[]): PlanReviewVerdict {
  const findings = stacks.flatMap((stack) => stack.findings);
  const unacknowledged = findings.filter((finding) => !finding.acknowledged).length;
  const acknowledged = findings.length - unacknowledged;
  const blockingStacks = stacks.filter((stack) => stack.findings.some((finding) => !finding.acknowledged)).map((stack) => stack.stack);
  const acknowledgedNote = acknowledged > 0 ? ` (${acknowledged} acknowledged)` : '';
  const line =
    unacknowledged === 0
      ? `✅ No unacknowledged dangerous action${acknowledgedNote}.`
      : `⛔ ${unacknowledged} unacknowledged dangerous action${unacknowledged === 1 ? '' : 's'} in ${blockingStacks.join(', ')}${acknowledgedNote}: acknowledge ${unacknowledged === 1 ? 'it' : 'them'} or change the plan.`;
  return { ok: unacknowledged === 0, unacknowledged, acknowledged, blockingStacks, line };
}

/** Every flagged address as `"<rule id> <stack> <address>"`, sorted, acknowledged or not: what another tool asserts on. */
export function flaggedActions(stacks: readonly StackPlanReview[]): string[] {
  return stacks.flatMap((stack) => stack.findings.flatMap((finding) => finding.addresses.map((address) => `${finding.ruleId} ${finding.stack} ${address}`))).sort();
}

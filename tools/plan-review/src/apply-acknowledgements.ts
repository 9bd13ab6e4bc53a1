import type { Acknowledgement } from './acknowledgement';
import type { ReviewedFinding, StackPlanReview } from './stack-plan-review';

/** The stacks reviewed, with acknowledgements applied, and the acknowledgements that matched nothing. */
export interface PlanReview {
  readonly stacks: readonly StackPlanReview[];
  /** Acknowledgements naming no flagged address of their stack: a warning, not a failure. */
  readonly staleAcknowledgements: readonly Acknowledgement[];
}

/** Marks each finding acknowledged when every address it names is acknowledged for its stack. */
export function applyAcknowledgements(stacks: readonly StackPlanReview[], acknowledgements: readonly Acknowledgement[]): PlanReview {
  const used = new Set<Acknowledgement>();
  const acknowledge = (finding: ReviewedFinding): ReviewedFinding => {
    const matching = acknowledgements.filter((ack) => ack.stack === finding.stack && finding.addresses.includes(ack.address));
    matching.forEach((ack) => used.add(ack));
    const acknowledged = finding.addresses.every((address) => matching.some((ack) => ack.address === address));
    return { ...finding, acknowledgements: matching, acknowledged };
  };
  const reviewed = stacks.map((stack) => ({ ...stack, findings: stack.findings.map(acknowledge) }));
  return { stacks: reviewed, staleAcknowledgements: acknowledgements.filter((ack) => !used.has(ack)) };
}

import { applyAcknowledgements, flaggedActions, renderPlanReviewMarkdown, type StackPlanReview } from '@crdb-ory/plan-review';
import type { StepResult } from './terraform-steps';

/** Plans the rehearsal made and plan-review reviewed, against what it had to flag. */
export interface ReviewedPlans {
  readonly steps: readonly StepResult[];
  readonly reviews: readonly StackPlanReview[];
  /** `<rule> <stack> <address>`, sorted: what plan-review flagged. */
  readonly flagged: readonly string[];
  /** Plan-review's Markdown for these plans. */
  readonly markdown: string;
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * The outcome of reviewed plans: ok when nothing stopped them (`error`), plan-review flagged
 * exactly `expectedFlags`, and `alsoOk` (another expectation of the caller) holds.
 */
export function reviewedPlans(steps: readonly StepResult[], reviews: readonly StackPlanReview[], expectedFlags: readonly string[], options: { readonly error?: string; readonly alsoOk?: boolean } = {}): ReviewedPlans {
  const flagged = flaggedActions(reviews);
  const markdown = renderPlanReviewMarkdown(applyAcknowledgements(reviews, []));
  if (options.error) return { steps, reviews, flagged, markdown, ok: false, error: options.error };
  const asExpected = JSON.stringify(flagged) === JSON.stringify([...expectedFlags].sort());
  const ok = asExpected && (options.alsoOk ?? true);
  return { steps, reviews, flagged, markdown, ok, ...(asExpected ? {} : { error: `plan-review flagged ${flagged.join(', ') || 'nothing'}` }) };
}

import type { ReviewResult, StackReviewResult } from './review';

export interface ReviewVerdict {
  readonly ok: boolean;
  readonly checked: number;
  readonly total: number;
  /** Set when the Terraform checks did not run at all for some stack: shown as a banner. */
  readonly warning?: string;
  readonly problems: readonly string[];
}

/**
 * The review passes when no stack failed and no contract output is missing. Stacks whose
 * Terraform checks could not run are never counted as passed; with `requireTerraform` (CI)
 * a review that checked no stack at all, or ran without terraform, fails.
 */
export function reviewVerdict(result: ReviewResult, requireTerraform: boolean): ReviewVerdict {
  const problems = result.stacks.flatMap(stackProblems);
  const checked = result.stacks.filter((stack) => stack.terraform.status === 'passed' || stack.terraform.status === 'failed').length;
  const total = result.stacks.length;
  const unchecked = total - checked;
  const warning = !result.terraformAvailable
    ? 'TERRAFORM CHECKS DID NOT RUN: the terraform CLI is not on PATH. Nothing below was validated or test-applied.'
    : unchecked > 0
      ? `TERRAFORM CHECKED ONLY ${checked} OF ${total} STACKS: ${unchecked} could not be initialized here (see "not checked").`
      : undefined;
  const blocking = requireTerraform && (!result.terraformAvailable || (checked === 0 && total > 0));
  if (blocking) problems.push('Terraform checks are required here (CI) but none ran; set CRDB_ORY_REVIEW_ALLOW_UNCHECKED=1 to accept that explicitly.');
  return { ok: problems.length === 0, checked, total, ...(warning ? { warning } : {}), problems };
}

function stackProblems(stack: StackReviewResult): string[] {
  const problems: string[] = [];
  if (stack.terraform.status === 'failed') {
    const step = stack.terraform.steps.find((s) => !s.ok);
    problems.push(`${stack.stackName}: terraform ${step?.command ?? 'check'} failed`);
  }
  for (const check of (stack.checks ?? []).filter((c) => !c.ok)) problems.push(`${stack.stackName}: ${check.name} check failed: ${check.summary}`);
  const missing = stack.contractGaps?.missing ?? [];
  if (missing.length > 0) problems.push(`${stack.stackName}: ${missing.length} contract output(s) not published: ${missing.join(', ')}`);
  for (const input of stack.upstream.filter((i) => !i.contract)) problems.push(`${stack.stackName}: remote state "${input.dataSource}" matches no registered outputs contract`);
  return problems;
}

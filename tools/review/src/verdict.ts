import type { ReviewResult, StackReviewResult } from './review';

export interface ReviewVerdict {
  readonly ok: boolean;
  /** Stacks Terraform checked (init and mocked apply ran), passed or not. */
  readonly checked: number;
  readonly total: number;
  readonly passed: readonly string[];
  readonly failed: readonly string[];
  /** Stacks Terraform could not check, with why (`hashicorp/tls unavailable`): never counted as passed. */
  readonly notChecked: ReadonlyArray<{ readonly stackName: string; readonly reason: string }>;
  /** Set when the Terraform checks did not run at all for some stack: shown as a banner. */
  readonly warning?: string;
  readonly problems: readonly string[];
}

/**
 * The review passes when no stack failed, no contract output is missing and every extra check
 * passed. Stacks whose Terraform checks could not run are never counted as passed; with
 * `requireTerraform` (CI) a review that checked no stack at all, or ran without terraform, fails.
 */
export function reviewVerdict(result: ReviewResult, requireTerraform: boolean): ReviewVerdict {
  const problems = result.stacks.flatMap(stackProblems);
  const status = (s: StackReviewResult) => s.terraform.status;
  const passed = result.stacks.filter((s) => status(s) === 'passed').map((s) => s.stackName);
  const failed = result.stacks.filter((s) => status(s) === 'failed').map((s) => s.stackName);
  const notChecked = result.stacks.flatMap((s) => (s.terraform.status === 'unavailable' || s.terraform.status === 'not-run' ? [{ stackName: s.stackName, reason: s.terraform.reason }] : []));
  const checked = passed.length + failed.length;
  const total = result.stacks.length;
  const warning = !result.terraformAvailable
    ? 'TERRAFORM CHECKS DID NOT RUN: the terraform CLI is not on PATH. Nothing below was test-applied.'
    : notChecked.length > 0
      ? `TERRAFORM CHECKED ONLY ${checked} OF ${total} STACKS: ${notChecked.length} could not be initialized here (see "Not checked").`
      : undefined;
  const blocking = requireTerraform && (!result.terraformAvailable || (checked === 0 && total > 0));
  if (blocking) problems.push('Terraform checks are required here (CI) but none ran; set CRDB_ORY_REVIEW_ALLOW_UNCHECKED=1 to accept that explicitly.');
  return { ok: problems.length === 0, checked, total, passed, failed, notChecked, ...(warning ? { warning } : {}), problems };
}

function stackProblems(stack: StackReviewResult): string[] {
  const problems: string[] = [];
  if (stack.terraform.status === 'failed') {
    const step = stack.terraform.steps.find((s) => !s.ok);
    const failedAssertions = stack.terraform.assertions.filter((a) => a.outcome === 'failed').length;
    problems.push(`${stack.stackName}: terraform ${step?.command ?? 'check'} failed${failedAssertions ? ` (${failedAssertions} assertion(s) failed)` : ''}`);
  }
  const missing = stack.contractGaps?.missing ?? [];
  if (missing.length > 0) problems.push(`${stack.stackName}: ${missing.length} contract output(s) not published: ${missing.join(', ')}`);
  for (const input of stack.upstream.filter((i) => !i.contract)) problems.push(`${stack.stackName}: remote state "${input.dataSource}" matches no registered outputs contract`);
  for (const check of (stack.checks ?? []).filter((c) => !c.ok)) problems.push(`${stack.stackName}: ${check.name} check failed: ${check.summary}`);
  return problems;
}

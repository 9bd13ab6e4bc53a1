import type { ChangeKind, Plan, ResourceChange } from '@crdb-ory/core/terraform';
import { forcingAttributes } from './change-summary';
import type { DangerousActionFinding, DangerousActionRule } from './dangerous-action-rule';
import { DANGEROUS_ACTION_RULES } from './rules/dangerous-action-rules';
import type { ChangeCounts, Replacement, ReviewedFinding, StackPlanReview } from './stack-plan-review';

/** The changes the review looks at: managed resources that change (no no-ops, no data source reads). */
export function reviewedChanges(plan: Plan): ResourceChange[] {
  return plan.resourceChanges.filter((change) => change.mode === 'managed' && change.kind !== 'no-op' && change.kind !== 'read');
}

/** A stack's plan reviewed: counts, replacements and what forces them, and the rules' findings (none acknowledged yet). */
export function reviewPlan(stack: string, plan: Plan, rules: readonly DangerousActionRule[] = DANGEROUS_ACTION_RULES): StackPlanReview {
  const changes = reviewedChanges(plan);
  return {
    stack,
    source: plan.source,
    counts: countChanges(changes),
    replacements: changes.filter((change) => change.kind === 'replace').map(replacementOf),
    findings: rules.flatMap((rule) => rule.check(stack, changes).map((finding) => unacknowledged(rule, finding))),
  };
}

function countChanges(changes: readonly ResourceChange[]): ChangeCounts {
  const count = (kind: ChangeKind) => changes.filter((change) => change.kind === kind).length;
  return { adds: count('create'), changes: count('update'), destroys: count('delete'), replacements: count('replace'), forgets: count('forget') };
}

function replacementOf(change: ResourceChange): Replacement {
  return { address: change.address, forcedBy: forcingAttributes(change), ...(change.actionReason ? { reason: change.actionReason } : {}) };
}

function unacknowledged(rule: DangerousActionRule, finding: DangerousActionFinding): ReviewedFinding {
  return { ...finding, addresses: [...finding.addresses].sort(), title: rule.title, description: rule.description, acknowledgements: [], acknowledged: false };
}

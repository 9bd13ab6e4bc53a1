import type { Acknowledgement } from './acknowledgements';
import { forcingAttributes } from './attribute-changes';
import type { DangerousActionFinding, DangerousActionRule } from './dangerous-action-rule';
import type { ChangeKind, Plan, ResourceChange } from '@crdb-ory/core/terraform';
import { DANGEROUS_ACTION_RULES } from './rules/dangerous-action-rules';

/** Managed resource changes by kind. Replacements are counted once, not as an add and a destroy. */
export interface ChangeCounts {
  readonly adds: number;
  /** In-place updates. */
  readonly changes: number;
  readonly destroys: number;
  readonly replacements: number;
  /** Removed from the state, the object left alone (`removed` blocks). */
  readonly forgets: number;
}

export interface Replacement {
  readonly address: string;
  /** Rendered `replace_paths`; empty when the plan names none (e.g. a `-replace=` request). */
  readonly forcedBy: readonly string[];
  readonly reason?: string;
}

/** A finding with its rule's words and the acknowledgements that cover its addresses. */
export interface ReviewedFinding extends DangerousActionFinding {
  readonly title: string;
  readonly description: string;
  /** The acknowledgements matching its addresses; the finding is acknowledged when they cover all of them. */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly acknowledged: boolean;
}

export interface StackPlanReview {
  readonly stack: string;
  /** The plan file, for the report. */
  readonly source: string;
  readonly counts: ChangeCounts;
  readonly replacements: readonly Replacement[];
  readonly findings: readonly ReviewedFinding[];
}

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

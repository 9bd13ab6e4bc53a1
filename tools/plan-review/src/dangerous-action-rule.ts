import type { ResourceChange } from '@crdb-ory/core/terraform';

/** One dangerous action a rule found: stable and plain, so other tools can assert on it. */
export interface DangerousActionFinding {
  readonly ruleId: string;
  readonly stack: string;
  /** The resource addresses the finding is about, sorted. */
  readonly addresses: readonly string[];
  /** What the plan does, in one sentence: addresses, attribute names and reasons, never values. */
  readonly summary: string;
}

/** A check of a stack's planned changes for one kind of dangerous action (like a cdk-nag rule). */
export interface DangerousActionRule {
  /** Stable kebab-case id, e.g. `crdb-node-replaced`. */
  readonly id: string;
  /** What is dangerous, in a few words. */
  readonly title: string;
  /** Why it is dangerous and what to do before applying it. */
  readonly description: string;
  /** The findings in `changes`: the stack's managed resource changes, without no-ops and reads. */
  readonly check: (stack: string, changes: readonly ResourceChange[]) => DangerousActionFinding[];
}

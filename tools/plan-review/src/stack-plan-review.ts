import type { Acknowledgement } from './acknowledgement';
import type { DangerousActionFinding } from './dangerous-action-rule';

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

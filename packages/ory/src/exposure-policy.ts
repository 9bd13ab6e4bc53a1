import { ORY_ADMIN_NOT_PUBLIC, StackDocument, evaluatePack, type Finding, type RulePack } from '@crdb-ory/policy';
import type { SynthesizedStackJson } from '@crdb-ory/core';

/**
 * The policy rule the Ory stack enforces on itself, so that consumers who use `OryStack`
 * without the product's policy gate still cannot expose an admin or write API: the same rule
 * (CRDB-ORY-001) the gate runs, not a copy of it.
 */
export const ORY_EXPOSURE_PACK: RulePack = { name: 'ory-exposure', rules: [ORY_ADMIN_NOT_PUBLIC] };

/** Findings of CRDB-ORY-001 on a synthesized Ory stack. */
export function findOryExposureViolations(stack: SynthesizedStackJson, stackName = 'ory'): readonly Finding[] {
  return evaluatePack(new StackDocument(stackName, stack), ORY_EXPOSURE_PACK).findings;
}

import type { Plan } from '@crdb-ory/core/terraform';
import type { SettingChange } from './teardown-plan';

/**
 * Problems with the plan of a teardown's targeted apply: it may update the changed resources in
 * place, and change no known value but the settings the teardown turns off. Anything else (a
 * replacement, another attribute, another resource: drift or an undeployed change pulled in by
 * -target) stops the teardown before the apply.
 */
export function targetedPlanProblems(plan: Plan, changes: readonly SettingChange[]): string[] {
  const problems: string[] = [];
  for (const change of plan.resourceChanges) {
    if (change.mode === 'data' || change.kind === 'no-op' || change.kind === 'read') continue;
    const allowed = changes.filter((c) => c.address === change.address).map((c) => c.attribute);
    if (allowed.length === 0) {
      problems.push(`${change.address} would ${change.kind}: only the teardown settings may change`);
      continue;
    }
    if (change.kind !== 'update') {
      problems.push(`${change.address} would ${change.kind}, not update in place`);
      continue;
    }
    const before = (change.before ?? {}) as Record<string, unknown>;
    const after = (change.after ?? {}) as Record<string, unknown>;
    const unknown = (change.afterUnknown ?? {}) as Record<string, unknown>;
    // Attributes known only after the apply are what the provider computes from the change; a
    // known value that differs is configuration the stack was not deployed with.
    const differing = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => unknown[key] !== true && JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null));
    const others = differing.filter((key) => !allowed.includes(key));
    if (others.length > 0) problems.push(`${change.address} would also change ${others.join(', ')}`);
  }
  return problems;
}

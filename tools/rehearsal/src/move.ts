import { parsePlan } from '@crdb-ory/core/terraform';
import { reviewPlan, type StackPlanReview } from '@crdb-ory/plan-review';
import { type ReviewedPlans, reviewedPlans } from './reviewed-plans';
import { REHEARSED_STACKS, type RehearsedStack } from './rehearsed-stacks';
import { MOVE_EXPECTED_FLAGS } from './scenario-definitions';
import { type StackRehearsal, plannedChanges, showPlan, writeScratchStack } from './stack-rehearsal';
import { readStack } from './synthesize';
import { type TerraformResult, cpuOf } from '@crdb-ory/terraform-harness';
import { type StepResult, type TerraformSetup, stepOf, terraformIn } from './terraform-steps';
import { readBaselineStack } from './baseline';

/** The move of the deployed baseline onto this version's stacks. */
export interface MoveResult extends ReviewedPlans {
  /** The stacks whose configuration differs from the baseline's: each was moved. */
  readonly moved: readonly string[];
}

/** One stack's part of the move: its steps and plan-review's review of its move plan. */
export interface StackMove {
  readonly stack: string;
  /** Whether its configuration differs from the baseline's (only those are moved). */
  readonly moved: boolean;
  readonly steps: readonly StepResult[];
  readonly review?: StackPlanReview;
  readonly error?: string;
}

/**
 * Moves one stack of a deployment of the baseline (what `main` deployed) onto its stack
 * synthesized into `synthDir`, as CHANGELOG.md tells an operator to: in the stack's folder,
 * `terraform init -migrate-state -force-copy` (the S3 backend gained `kms_key_id`: the state is
 * copied onto itself, encrypted with the state key), `plan`, plan-review of that plan, `apply` of
 * it, and a re-plan that must show no changes. A stack whose configuration did not change is not
 * touched. The rehearsal starts each stack's move once the stacks it depends on are moved.
 */
export async function moveStack(
  definition: RehearsedStack,
  rehearsal: StackRehearsal,
  synthDir: string,
  endpoint: string,
  setup: TerraformSetup,
  /** Bounds the terraform processes (a `limiter`), shared with the rest of the rehearsal. */
  slot: (task: () => Promise<TerraformResult>) => Promise<TerraformResult> = (task) => task(),
): Promise<StackMove> {
  const current = definition.prepare(readStack(synthDir, definition.name)).stack;
  if (JSON.stringify(current) === JSON.stringify(definition.prepare(readBaselineStack(definition.name)).stack)) return { stack: definition.name, moved: false, steps: [] };
  const steps: StepResult[] = [];
  let review: StackPlanReview | undefined;
  try {
    writeScratchStack(rehearsal.dir, current, endpoint);
    const inDir = terraformIn(rehearsal.dir, setup);
    const terraform = (args: string[]) => slot(() => inDir(args));
    const run = async (step: string, args: string[]) => {
      const result = await terraform(args);
      const recorded = stepOf(`${definition.name} ${step}`, result);
      steps.push(recorded);
      if (!recorded.ok) throw new Error(`${definition.name}: ${step} failed`);
      return result;
    };
    await run('init', current['terraform']?.['backend']?.['s3'] ? ['init', '-input=false', '-migrate-state', '-force-copy'] : ['init', '-input=false']);
    await run('plan', ['plan', '-input=false', '-out=move.tfplan']);
    review = reviewPlan(definition.name, parsePlan(await showPlan(rehearsal.dir, setup, 'move.tfplan'), `move/${definition.name}`));
    await run('apply', ['apply', '-input=false', 'move.tfplan']);
    const replan = await terraform(['plan', '-input=false', '-detailed-exitcode', '-out=after-move.tfplan']);
    if (replan.exitCode === 2) {
      const drift = await plannedChanges(rehearsal.dir, setup, 'after-move.tfplan');
      steps.push({ step: `${definition.name} re-plan`, ok: false, seconds: replan.seconds, ...cpuOf(replan), detail: `not stable after the move: ${drift.join(', ')}` });
      throw new Error(`${definition.name}: not stable after the move`);
    }
    steps.push(stepOf(`${definition.name} re-plan`, replan));
    if (!replan.ok) throw new Error(`${definition.name}: re-plan failed`);
  } catch (caught) {
    return { stack: definition.name, moved: true, steps, ...(review ? { review } : {}), error: caught instanceof Error ? caught.message : String(caught) };
  }
  return { stack: definition.name, moved: true, steps, ...(review ? { review } : {}) };
}

/**
 * The whole move from the stacks' moves, in deploy order: it passes when every moved stack's
 * steps succeeded and plan-review flagged exactly `MOVE_EXPECTED_FLAGS` (nothing: no certificate,
 * node, volume, bucket or key is replaced or touched). `notMoved` are the stacks whose move never
 * started (a stack it depends on was not deployed or not moved).
 */
export function moveResult(moves: readonly StackMove[], notMoved: readonly string[] = []): MoveResult {
  const ordered = REHEARSED_STACKS.flatMap((definition) => moves.filter((move) => move.stack === definition.name));
  const moved = ordered.filter((move) => move.moved);
  const steps = moved.flatMap((move) => move.steps);
  const reviews = moved.flatMap((move) => (move.review ? [move.review] : []));
  const errors = [...moved.flatMap((move) => (move.error ? [move.error] : [])), ...(notMoved.length > 0 ? [`not moved: ${notMoved.join(', ')}`] : [])];
  const names = moved.map((move) => move.stack);
  return { moved: names, ...reviewedPlans(steps, reviews, MOVE_EXPECTED_FLAGS, errors.length > 0 ? { error: errors.join('; ') } : {}) };
}

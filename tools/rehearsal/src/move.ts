import { parsePlan } from '@crdb-ory/core/terraform';
import { reviewPlan, type StackPlanReview } from '@crdb-ory/plan-review';
import { type ReviewedPlans, reviewedPlans } from './reviewed-plans';
import { REHEARSED_STACKS } from './rehearsed-stacks';
import { MOVE_EXPECTED_FLAGS } from './scenario-definitions';
import { type StackRehearsal, plannedChanges, showPlan, writeScratchStack } from './stack-rehearsal';
import { readStack } from './synthesize';
import { type StepResult, type TerraformSetup, stepOf, terraformIn } from './terraform-steps';
import { readBaselineStack } from './baseline';

/** The move of the deployed baseline onto this version's stacks. */
export interface MoveResult extends ReviewedPlans {
  /** The stacks whose configuration differs from the baseline's: each was moved. */
  readonly moved: readonly string[];
}

/**
 * Moves a deployment of the baseline (what `main` deployed) onto the stacks synthesized into
 * `synthDir`, in deploy order, as CHANGELOG.md tells an operator to: in each stack's folder,
 * `terraform init -migrate-state -force-copy` (the S3 backend gained `kms_key_id`: the state is
 * copied onto itself, encrypted with the state key), `plan`, plan-review of that plan, `apply` of
 * it, and a re-plan that must show no changes. The move passes when every step succeeds and
 * plan-review flags exactly `MOVE_EXPECTED_FLAGS` (nothing: no certificate, node, volume,
 * bucket or key is replaced or touched).
 */
export async function moveOntoThisVersion(
  stacks: readonly StackRehearsal[],
  synthDir: string,
  endpoint: string,
  setup: TerraformSetup,
  log: (line: string) => void,
  /** Bounds the terraform processes (a `limiter`), shared with the environments deployed meanwhile. */
  slot: <T>(task: () => Promise<T>) => Promise<T> = (task) => task(),
): Promise<MoveResult> {
  const steps: StepResult[] = [];
  const reviews: StackPlanReview[] = [];
  const moved: string[] = [];
  try {
    for (const definition of REHEARSED_STACKS) {
      const rehearsal = stacks.find((stack) => stack.name === definition.name);
      if (!rehearsal) throw new Error(`${definition.name} was not deployed`);
      const current = definition.prepare(readStack(synthDir, definition.name)).stack;
      if (JSON.stringify(current) === JSON.stringify(definition.prepare(readBaselineStack(definition.name)).stack)) continue;
      moved.push(definition.name);
      writeScratchStack(rehearsal.dir, current, endpoint);
      const inDir = terraformIn(rehearsal.dir, setup);
      const terraform = (args: string[]) => slot(() => inDir(args));
      const run = async (step: string, args: string[], ok?: (exitCode: number) => boolean) => {
        const result = await terraform(args);
        const recorded = stepOf(`${definition.name} ${step}`, result, ok ? ok(result.exitCode) : result.ok);
        steps.push(recorded);
        if (!recorded.ok) throw new Error(`${definition.name}: ${step} failed`);
        return result;
      };
      await run('init', current['terraform']?.['backend']?.['s3'] ? ['init', '-input=false', '-migrate-state', '-force-copy'] : ['init', '-input=false']);
      await run('plan', ['plan', '-input=false', '-out=move.tfplan']);
      reviews.push(reviewPlan(definition.name, parsePlan(await showPlan(rehearsal.dir, setup, 'move.tfplan'), `move/${definition.name}`)));
      await run('apply', ['apply', '-input=false', 'move.tfplan']);
      const replan = await terraform(['plan', '-input=false', '-detailed-exitcode', '-out=after-move.tfplan']);
      if (replan.exitCode === 2) {
        const drift = await plannedChanges(rehearsal.dir, setup, 'after-move.tfplan');
        steps.push({ step: `${definition.name} re-plan`, ok: false, seconds: replan.seconds, detail: `not stable after the move: ${drift.join(', ')}` });
        throw new Error(`${definition.name}: not stable after the move`);
      }
      steps.push(stepOf(`${definition.name} re-plan`, replan));
      if (!replan.ok) throw new Error(`${definition.name}: re-plan failed`);
      log(`moved ${definition.name}: ${steps.filter((s) => s.step.startsWith(`${definition.name} `)).map((s) => `${s.step.split(' ')[1]} ${s.seconds.toFixed(1)} s`).join(', ')}`);
    }
  } catch (caught) {
    return { moved, ...reviewedPlans(steps, reviews, MOVE_EXPECTED_FLAGS, { error: caught instanceof Error ? caught.message : String(caught) }) };
  }
  return { moved, ...reviewedPlans(steps, reviews, MOVE_EXPECTED_FLAGS) };
}

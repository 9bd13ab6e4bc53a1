import { type TerraformPlanJson, plannedChanges as plannedResourceChanges, showJsonOf } from '@crdb-ory/core/terraform';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adaptation } from './stack-adaptations';
import { stopMessage } from './fresh-account';
import { emulatorOverrides, type StackJson } from './emulator-overrides';
import type { RehearsedStack } from './rehearsed-stacks';
import { StepResult, TerraformSetup, lastLines, stepOf, terraformIn } from './terraform-steps';

/** What happened to one stack: its steps in order, its resources once applied, and what the harness adapted. */
export interface StackRehearsal {
  /** The environment (its name prefix) the stack belongs to. */
  readonly environment: string;
  readonly name: string;
  readonly mode: RehearsedStack['mode'];
  readonly dir: string;
  readonly steps: StepResult[];
  /** Managed resources in its state after apply. */
  resources?: number;
  /** Addresses a re-plan right after apply would change (empty when stable). */
  drift?: string[];
  readonly adaptations: readonly Adaptation[];
  /** The stacks it depends on (its `manifest.json` entry), for its critical path. */
  readonly dependencies?: readonly string[];
}

/** Writes the scratch copy of a stack: the (adapted) synthesized file and the emulator overrides. */
export function writeScratchStack(dir: string, stack: StackJson, endpoint: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  for (const [file, content] of Object.entries(emulatorOverrides(stack, endpoint))) writeFileSync(join(dir, file), JSON.stringify(content, null, 2));
}

/**
 * init, plan, apply of that plan, and a re-plan that must show no changes. Stops at the first
 * failed step. With `atQuotaStop`, a plan that a plan-time check stops is handed to it (the
 * operator's quota requests, returned as steps) and, when every request succeeded, planned again.
 */
export async function deployStack(rehearsal: StackRehearsal, setup: TerraformSetup, atQuotaStop?: (planOutput: string) => Promise<StepResult[] | undefined>): Promise<boolean> {
  const terraform = terraformIn(rehearsal.dir, setup);
  const run = async (step: string, args: string[], ok?: (exitCode: number) => boolean): Promise<boolean> => {
    const result = await terraform(args);
    const step_ = stepOf(step, result, ok ? ok(result.exitCode) : result.ok);
    rehearsal.steps.push(step_);
    return step_.ok;
  };
  if (!(await run('init', ['init', '-input=false']))) return false;
  const planArgs = ['plan', '-input=false', '-out=plan.tfplan'];
  let plan = await terraform(planArgs);
  const requests = plan.ok ? undefined : await atQuotaStop?.(plan.output);
  if (requests) {
    rehearsal.steps.push({ step: 'plan (stops at a quota the account shares)', ok: true, seconds: plan.seconds, detail: stopMessage(plan.output) }, ...requests);
    if (requests.every((request) => request.ok)) plan = await terraform(planArgs);
  }
  rehearsal.steps.push(stepOf('plan', plan));
  if (!plan.ok) return false;
  if (!(await run('apply', ['apply', '-input=false', 'plan.tfplan']))) return false;
  rehearsal.resources = await managedResources(rehearsal.dir, setup);
  const replan = await terraform(['plan', '-input=false', '-detailed-exitcode', '-out=replan.tfplan']);
  if (replan.exitCode === 2) {
    rehearsal.drift = await plannedChanges(rehearsal.dir, setup, 'replan.tfplan');
    rehearsal.steps.push({ step: 're-plan', ok: false, seconds: replan.seconds, detail: `not stable: a second plan would change ${rehearsal.drift.join(', ')}` });
    return false;
  }
  rehearsal.drift = [];
  rehearsal.steps.push(stepOf('re-plan', replan));
  return replan.ok;
}

export async function managedResources(dir: string, setup: TerraformSetup): Promise<number> {
  const result = await terraformIn(dir, setup)(['state', 'list']);
  if (!result.ok) throw new Error(`terraform state list failed in ${dir}: ${lastLines(result.output)}`);
  return result.output.split('\n').filter((line) => line.trim() !== '' && !/^data\.|\.data\./.test(line.trim())).length;
}

/** Addresses whose planned action is something other than no-op or read. */
export async function plannedChanges(dir: string, setup: TerraformSetup, planFile: string): Promise<string[]> {
  const plan = (await showPlan(dir, setup, planFile)) as TerraformPlanJson;
  return plannedResourceChanges(plan).map((change) => `${change.address} (${change.actions.join('/')})`);
}

/** `terraform show -json <planFile>`. */
export async function showPlan(dir: string, setup: TerraformSetup, planFile: string): Promise<unknown> {
  const result = await terraformIn(dir, setup)(['show', '-json', planFile]);
  if (!result.ok) throw new Error(`terraform show -json ${planFile} failed in ${dir}: ${lastLines(result.output)}`);
  return showJsonOf(result.output, `terraform show -json ${planFile} in ${dir}`);
}

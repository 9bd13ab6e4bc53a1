import { type TerraformPlanJson, plannedChanges as plannedResourceChanges, showJsonOf } from '@crdb-ory/core/terraform';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adaptation } from './stack-adaptations';
import { stopMessage } from './fresh-account';
import { emulatorOverrides, type StackJson } from './emulator-overrides';
import type { RehearsedStack } from './rehearsed-stacks';
import { type TerraformResult, cpuOf } from '@crdb-ory/terraform-harness';
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
 * init and apply (its own plan, applied in the same process); `replanStack` follows, beside the
 * stacks that depend on it (rehearsal-plan.ts). Stops at the first failed step. With
 * `atQuotaStop`, an apply whose plan a plan-time check stops is handed to it (the operator's quota
 * requests, returned as steps) and, when every request succeeded, run again. `terraform` runs the
 * commands (default: terraform in the stack's scratch folder).
 *
 * With the re-plan, three terraform processes, not five (docs/rehearsal.md, "Where the
 * rehearsal's CPU goes"): `terraform apply` without a plan file plans and applies in one run
 * ("terraform apply" command docs, "Automatic plan mode"), where `plan -out` and `apply <file>`
 * each start the provider and load its schema; and the resources in the state are the apply's own
 * count ("Resources: N added"), every one created by it in the stack's fresh folder and backend
 * key, where `state list` was a process of its own (a state with anything else in it is listed).
 */
export async function deployStack(
  rehearsal: StackRehearsal,
  setup: TerraformSetup,
  atQuotaStop?: (planOutput: string) => Promise<StepResult[] | undefined>,
  terraform: (args: readonly string[]) => Promise<TerraformResult> = terraformIn(rehearsal.dir, setup),
): Promise<boolean> {
  const init = await terraform(['init', '-input=false']);
  rehearsal.steps.push(stepOf('init', init));
  if (!init.ok) return false;
  const applyArgs = ['apply', '-input=false', '-auto-approve'];
  let apply = await terraform(applyArgs);
  const requests = apply.ok ? undefined : await atQuotaStop?.(apply.output);
  if (requests) {
    rehearsal.steps.push({ step: 'plan (stops at a quota the account shares)', ok: true, seconds: apply.seconds, ...cpuOf(apply), detail: stopMessage(apply.output) }, ...requests);
    if (requests.every((request) => request.ok)) apply = await terraform(applyArgs);
  }
  rehearsal.steps.push(stepOf('apply', apply));
  if (!apply.ok) return false;
  rehearsal.resources = createdResources(apply.output) ?? (await managedResources(rehearsal.dir, setup, terraform));
  return true;
}

/** The name of a stack's re-plan step: nothing waits for it but the stack's own later tasks (rehearsal-plan.ts). */
export const REPLAN_STEP = 're-plan';

/** The plan of a deployed stack right after its apply, which must show no changes (`-detailed-exitcode` 0); the changes it would make are its `drift`. */
export async function replanStack(
  rehearsal: StackRehearsal,
  setup: TerraformSetup,
  terraform: (args: readonly string[]) => Promise<TerraformResult> = terraformIn(rehearsal.dir, setup),
): Promise<boolean> {
  const replan = await terraform(['plan', '-input=false', '-detailed-exitcode', '-out=replan.tfplan']);
  if (replan.exitCode === 2) {
    rehearsal.drift = await plannedChanges(rehearsal.dir, setup, 'replan.tfplan', terraform);
    rehearsal.steps.push({ step: REPLAN_STEP, ok: false, seconds: replan.seconds, ...cpuOf(replan), detail: `not stable: a second plan would change ${rehearsal.drift.join(', ')}` });
    return false;
  }
  rehearsal.drift = replan.ok ? [] : undefined;
  rehearsal.steps.push(stepOf(REPLAN_STEP, replan));
  return replan.ok;
}

/**
 * The managed resource instances an apply into an empty state left in it: its summary's "N added"
 * when it changed and destroyed nothing ("Apply complete! Resources: N added, 0 changed, 0
 * destroyed."), else undefined (then `state list` counts them).
 */
export function createdResources(applyOutput: string): number | undefined {
  const summary = /Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./.exec(applyOutput);
  if (!summary || summary[2] !== '0' || summary[3] !== '0') return undefined;
  return Number(summary[1]);
}

export async function managedResources(dir: string, setup: TerraformSetup, terraform = terraformIn(dir, setup)): Promise<number> {
  const result = await terraform(['state', 'list']);
  if (!result.ok) throw new Error(`terraform state list failed in ${dir}: ${lastLines(result.output)}`);
  return result.output.split('\n').filter((line) => line.trim() !== '' && !/^data\.|\.data\./.test(line.trim())).length;
}

/** Addresses whose planned action is something other than no-op or read. */
export async function plannedChanges(dir: string, setup: TerraformSetup, planFile: string, terraform = terraformIn(dir, setup)): Promise<string[]> {
  const plan = (await showPlan(dir, setup, planFile, terraform)) as TerraformPlanJson;
  return plannedResourceChanges(plan).map((change) => `${change.address} (${change.actions.join('/')})`);
}

/** `terraform show -json <planFile>`. */
export async function showPlan(dir: string, setup: TerraformSetup, planFile: string, terraform = terraformIn(dir, setup)): Promise<unknown> {
  const result = await terraform(['show', '-json', planFile]);
  if (!result.ok) throw new Error(`terraform show -json ${planFile} failed in ${dir}: ${lastLines(result.output)}`);
  return showJsonOf(result.output, `terraform show -json ${planFile} in ${dir}`);
}

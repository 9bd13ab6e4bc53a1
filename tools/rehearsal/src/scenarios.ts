import { parsePlan } from '@crdb-ory/core/terraform';
import { reviewPlan, type StackPlanReview } from '@crdb-ory/plan-review';
import { type ReviewedPlans, reviewedPlans } from './reviewed-plans';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REHEARSED_STACKS } from './rehearsed-stacks';
import { type StepResult, type TerraformSetup, stepOf, terraformIn } from './terraform-steps';
import { stopMessage } from './fresh-account';
import { showPlan, writeScratchStack } from './stack-rehearsal';
import { readStack, synthesize } from './synthesize';
import type { Scenario } from './scenario-definitions';
import type { StackJson } from './emulator-overrides';
import { type TerraformResult, cpuOf } from '@crdb-ory/terraform-harness';
import { publishUnderNewNames, renamedPublishedReads } from './published-renames';

export interface ScenarioResult extends ReviewedPlans {
  readonly scenario: Scenario;
  /** Stacks whose synthesized configuration differs from the rehearsed one: the ones planned. */
  readonly planned: readonly string[];
}

export interface ScenarioContext {
  readonly configFile: string;
  readonly scratch: string;
  readonly endpoint: string;
  readonly setup: TerraformSetup;
  /** Where the rehearsal synthesized and applied the stacks. */
  readonly rehearsed: { readonly synthDir: string; readonly stacksDir: string };
  readonly log: (line: string) => void;
  /** Bounds the terraform processes (a `limiter`), shared with the rest of the rehearsal. */
  readonly slot?: (task: () => Promise<TerraformResult>) => Promise<TerraformResult>;
}

/**
 * Writes the scenario's configuration (its change merged over the rehearsal's) and synthesizes it
 * into `<scratch>/<name>/synth`: needs no emulator, so the rehearsal starts it at once, while the
 * stacks it plans against deploy. Resolves to the synthesis folder.
 */
export async function synthesizeScenario(scenario: Scenario, context: Pick<ScenarioContext, 'configFile' | 'scratch'>): Promise<string> {
  const configFile = join(context.scratch, `${scenario.name}.config.json`);
  mkdirSync(context.scratch, { recursive: true });
  writeFileSync(configFile, JSON.stringify(mergeConfig(JSON.parse(readFileSync(context.configFile, 'utf8')), scenario.change), null, 2));
  const synthDir = join(context.scratch, scenario.name, 'synth');
  await synthesize(configFile, synthDir);
  return synthDir;
}

/** What planning one stack of a scenario gave: its steps, its review, whether it stopped as expected, what went wrong. */
interface StackPlan {
  readonly steps: StepResult[];
  review?: StackPlanReview;
  stopped?: boolean;
  error?: string;
}

/**
 * Plans every stack of the scenario whose configuration differs from the rehearsed one against
 * the rehearsed state (`-lock=false`: planning only), all at once (each terraform process takes
 * a slot), and runs plan-review on the real plans. `synthesized` is `synthesizeScenario`'s result.
 */
export async function planScenario(scenario: Scenario, synthesized: Promise<string>, context: ScenarioContext): Promise<ScenarioResult> {
  const planned: string[] = [];
  const plans: StackPlan[] = [];
  let error: string | undefined;
  try {
    const synthDir = await synthesized;
    const changedStacks = REHEARSED_STACKS.flatMap((definition) => {
      if (scenario.onlyStacks && !scenario.onlyStacks.includes(definition.name)) return [];
      const changed = definition.prepare(readStack(synthDir, definition.name)).stack;
      const rehearsed = definition.prepare(readStack(context.rehearsed.synthDir, definition.name)).stack;
      return JSON.stringify(changed) === JSON.stringify(rehearsed) ? [] : [{ definition, changed, rehearsed }];
    });
    planned.push(...changedStacks.map(({ definition }) => definition.name));
    plans.push(...(await Promise.all(changedStacks.map(({ definition, changed, rehearsed }) => planStack(scenario, definition.name, changed, rehearsed, context)))));
    error = plans.find((plan) => plan.error)?.error;
    const stops = planned.filter((_, i) => plans[i]?.stopped);
    const missing = (scenario.expectedStops ?? []).filter((stop) => !stops.includes(stop.stack));
    if (!error && missing.length > 0) error = `no plan stopped for ${missing.map((stop) => stop.stack).join(', ')}`;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const steps = plans.flatMap((plan) => plan.steps);
  const reviews = plans.flatMap((plan) => (plan.review ? [plan.review] : []));
  const result: ScenarioResult = error
    ? { scenario, planned, ...reviewedPlans(steps, reviews, scenario.expectedFlags, { error }) }
    : { scenario, planned, ...reviewedPlans(steps, reviews, scenario.expectedFlags, { alsoOk: JSON.stringify(planned) === JSON.stringify(scenario.expectedStacks) }) };
  context.log(`scenario ${scenario.name}: planned ${result.planned.join(', ') || 'nothing'}; flagged ${result.flagged.length}; ${result.ok ? 'as expected' : `NOT AS EXPECTED${result.error ? `: ${result.error}` : ''}`}`);
  for (const step of failedSteps(result)) context.log(`scenario ${scenario.name}: ${step.step} failed:\n${step.detail ?? ''}`);
  return result;
}

/** The steps of a scenario that did not do what it expects, each with the end of terraform's output: why it is not as expected. */
export function failedSteps(result: Pick<ScenarioResult, 'steps'>): StepResult[] {
  return result.steps.filter((step) => !step.ok);
}

/** init and plan of one changed stack against the rehearsed state; the plan must stop where the scenario says so, or else is reviewed. */
async function planStack(scenario: Scenario, name: string, changed: StackJson, rehearsed: StackJson, context: ScenarioContext): Promise<StackPlan> {
  const result: StackPlan = { steps: [] };
  try {
    const stackDir = join(context.scratch, scenario.name, 'stacks', name);
    // A renamed upstream publishes under its new names once applied: the plan reads them there.
    await publishUnderNewNames(renamedPublishedReads(changed, rehearsed), context.endpoint, String(changed['provider']?.['aws']?.[0]?.['region'] ?? 'us-east-1'), context.setup);
    writeScratchStack(stackDir, changed, context.endpoint);
    const localState = join(context.rehearsed.stacksDir, name, 'terraform.tfstate');
    if (existsSync(localState)) copyFileSync(localState, join(stackDir, 'terraform.tfstate'));
    const inDir = terraformIn(stackDir, context.setup);
    const slot = context.slot ?? ((task) => task());
    const terraform = (args: string[]) => slot(() => inDir(args));
    const init = await terraform(['init', '-input=false']);
    result.steps.push(stepOf(`${name} init`, init));
    if (!init.ok) throw new Error(`${name}: init failed`);
    const plan = await terraform(['plan', '-input=false', '-lock=false', '-out=change.tfplan']);
    const expectedStop = scenario.expectedStops?.find((stop) => stop.stack === name);
    if (expectedStop) {
      const stopped = planStoppedWith(plan, expectedStop.message);
      result.steps.push({ step: `${name} plan (must stop)`, ok: stopped, seconds: plan.seconds, ...cpuOf(plan), detail: stopMessage(plan.output) });
      if (!stopped) throw new Error(`${name}: the plan did not stop with "${expectedStop.message}"`);
      result.stopped = true;
      context.log(`scenario ${scenario.name}: ${name} plan stopped: ${stopMessage(plan.output)}`);
      return result;
    }
    result.steps.push(stepOf(`${name} plan`, plan));
    if (!plan.ok) throw new Error(`${name}: plan failed`);
    const json = await showPlan(stackDir, context.setup, 'change.tfplan');
    result.review = reviewPlan(name, parsePlan(json, `${scenario.name}/${name}`));
  } catch (caught) {
    result.error = caught instanceof Error ? caught.message : String(caught);
  }
  return result;
}

/**
 * True when a plan failed with `message`: terraform wraps a diagnostic's message at 78 columns
 * (and borders it with `│` in colour mode), so whitespace and borders are read as one space.
 */
export function planStoppedWith(plan: { readonly ok: boolean; readonly output: string }, message: string): boolean {
  const flat = (text: string) => text.replace(/[\s│]+/g, ' ');
  return !plan.ok && flat(plan.output).includes(flat(message));
}

/** Objects merge key by key, anything else replaces: as the app merges a config file over its defaults. */
export function mergeConfig(base: unknown, change: unknown): unknown {
  if (!isObject(base) || !isObject(change)) return change;
  return Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(change)])].map((key) => [key, key in change ? mergeConfig(base[key], change[key]) : base[key]]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

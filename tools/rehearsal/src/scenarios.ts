import { parsePlan } from '@crdb-ory/core/terraform';
import { reviewPlan, type StackPlanReview } from '@crdb-ory/plan-review';
import { type ReviewedPlans, reviewedPlans } from './reviewed-plans';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REHEARSED_STACKS } from './rehearsed-stacks';
import { StepResult, TerraformSetup, stepOf, terraformIn } from './terraform-steps';
import { stopMessage } from './fresh-account';
import { showPlan, writeScratchStack } from './stack-rehearsal';
import { readStack, synthesize } from './synthesize';
import { SCENARIOS, type Scenario } from './scenario-definitions';
import { publishUnderNewNames, renamedPublishedReads } from './published-renames';

export interface ScenarioResult extends ReviewedPlans {
  readonly scenario: Scenario;
  /** Stacks whose synthesized configuration differs from the rehearsed one: the ones planned. */
  readonly planned: readonly string[];
}

interface ScenarioContext {
  readonly configFile: string;
  readonly scratch: string;
  readonly endpoint: string;
  readonly setup: TerraformSetup;
  /** Where the rehearsal synthesized and applied the stacks. */
  readonly rehearsed: { readonly synthDir: string; readonly stacksDir: string };
  readonly log: (line: string) => void;
}

/**
 * For each changed configuration: synthesize, plan every stack that changed against the
 * rehearsed state (`-lock=false`: planning only), and run plan-review on the real plans.
 */
export async function runScenarios(context: ScenarioContext): Promise<ScenarioResult[]> {
  // Plans only read the rehearsed state, so the scenarios run side by side (two at a time: two cores).
  return inPool(SCENARIOS, 2, async (scenario) => {
    const result = await runScenario(scenario, context);
    context.log(`scenario ${scenario.name}: planned ${result.planned.join(', ') || 'nothing'}; flagged ${result.flagged.length}; ${result.ok ? 'as expected' : `NOT AS EXPECTED${result.error ? `: ${result.error}` : ''}`}`);
    return result;
  });
}

/** Maps `items` with at most `size` calls in flight; results keep the order of `items`. */
async function inPool<T, R>(items: readonly T[], size: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async (): Promise<void> => {
    for (const [index, item] of queue) results[index] = await map(item);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

async function runScenario(scenario: Scenario, context: ScenarioContext): Promise<ScenarioResult> {
  const dir = join(context.scratch, scenario.name);
  const configFile = join(context.scratch, `${scenario.name}.config.json`);
  writeFileSync(configFile, JSON.stringify(mergeConfig(JSON.parse(readFileSync(context.configFile, 'utf8')), scenario.change), null, 2));
  const steps: StepResult[] = [];
  const reviews: StackPlanReview[] = [];
  const planned: string[] = [];
  try {
    await synthesize(configFile, join(dir, 'synth'));
    const stops: string[] = [];
    for (const definition of REHEARSED_STACKS) {
      if (scenario.onlyStacks && !scenario.onlyStacks.includes(definition.name)) continue;
      const changed = definition.prepare(readStack(join(dir, 'synth'), definition.name)).stack;
      const rehearsed = definition.prepare(readStack(context.rehearsed.synthDir, definition.name)).stack;
      if (JSON.stringify(changed) === JSON.stringify(rehearsed)) continue;
      planned.push(definition.name);
      const stackDir = join(dir, 'stacks', definition.name);
      // A renamed upstream publishes under its new names once applied: the plan reads them there.
      publishUnderNewNames(renamedPublishedReads(changed, rehearsed), context.endpoint, String(changed['provider']?.['aws']?.[0]?.['region'] ?? 'us-east-1'), context.setup);
      writeScratchStack(stackDir, changed, context.endpoint);
      const localState = join(context.rehearsed.stacksDir, definition.name, 'terraform.tfstate');
      if (existsSync(localState)) copyFileSync(localState, join(stackDir, 'terraform.tfstate'));
      const terraform = terraformIn(stackDir, context.setup);
      const init = await terraform(['init', '-input=false']);
      steps.push(stepOf(`${definition.name} init`, init));
      if (!init.ok) throw new Error(`${definition.name}: init failed`);
      const plan = await terraform(['plan', '-input=false', '-lock=false', '-out=change.tfplan']);
      const expectedStop = scenario.expectedStops?.find((stop) => stop.stack === definition.name);
      if (expectedStop) {
        const stopped = planStoppedWith(plan, expectedStop.message);
        steps.push({ step: `${definition.name} plan (must stop)`, ok: stopped, seconds: plan.seconds, detail: stopMessage(plan.output) });
        if (!stopped) throw new Error(`${definition.name}: the plan did not stop with "${expectedStop.message}"`);
        stops.push(definition.name);
        context.log(`scenario ${scenario.name}: ${definition.name} plan stopped: ${stopMessage(plan.output)}`);
        continue;
      }
      steps.push(stepOf(`${definition.name} plan`, plan));
      if (!plan.ok) throw new Error(`${definition.name}: plan failed`);
      const json = await showPlan(stackDir, context.setup, 'change.tfplan');
      reviews.push(reviewPlan(definition.name, parsePlan(json, `${scenario.name}/${definition.name}`)));
    }
    const missing = (scenario.expectedStops ?? []).filter((stop) => !stops.includes(stop.stack));
    if (missing.length > 0) throw new Error(`no plan stopped for ${missing.map((stop) => stop.stack).join(', ')}`);
  } catch (caught) {
    return { scenario, planned, ...reviewedPlans(steps, reviews, scenario.expectedFlags, { error: caught instanceof Error ? caught.message : String(caught) }) };
  }
  return { scenario, planned, ...reviewedPlans(steps, reviews, scenario.expectedFlags, { alsoOk: JSON.stringify(planned) === JSON.stringify(scenario.expectedStacks) }) };
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

import { readCdktfManifest } from '@crdb-ory/core';
import { type Leftover, costSummary } from '@crdb-ory/teardown';
import { AWS_PROVIDER, childrenCpuOfStat, findProviderMirror, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, emulatorFixes, startEmulator } from './emulator';
import { freshAccountVcpuStop, requestQuotaIncrease, requestedQuotaIncreases, stoppedAtCheck } from './fresh-account';
import { emulatorEnv } from './emulator-overrides';
import { EMULATOR_ACCOUNT, ENVIRONMENTS, type RehearsedEnvironment } from './environments';
import { type RegionalLeftover, accountLeftoverProblems, listLeftovers } from './leftovers-check';
import { runSchedule } from './graph-order';
import { type Slot, type SlotOrder, limiter } from './limiter';
import { type RehearsedStack, notRehearsed, rehearsedStack } from './rehearsed-stacks';
import { providerRegion, resourceRegion, stackRegions } from './regions';
import { type ScenarioContext, type ScenarioResult, mergeConfig, planScenario, synthesizeScenario } from './scenarios';
import { SCENARIOS } from './scenario-definitions';
import { type StackRehearsal, deployStack, managedResources, replanStack, writeScratchStack } from './stack-rehearsal';
import { readStack, synthesize } from './synthesize';
import { type EnvironmentTeardown, tearDownEnvironment } from './teardown-rehearsal';
import type { CommandRecord, StepResult, TerraformSetup } from './terraform-steps';
import { readBaselineStack } from './baseline';
import { type MoveResult, type StackMove, moveResult, moveStack } from './move';
import { TEARDOWN_CHECK_STEP, criticalPaths, isTeardownStep, longestPath } from './critical-path';
import { type RehearsalTask, type RehearsedNode, type TaskTiming, rehearsalPlanInput, rehearsalTasks, rehearsedGraph } from './rehearsal-plan';

export interface RehearsalOptions {
  /** The configuration the rehearsal deploys (JSON, as `CRDB_ORY_CONFIG` takes it); every environment starts from it. */
  readonly configFile: string;
  /** Skip the changed-configuration plans. @default false */
  readonly skipScenarios?: boolean;
  /** Keep the scratch folder (for debugging). @default false */
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
  /** Environments to deploy side by side. @default ENVIRONMENTS */
  readonly environments?: readonly RehearsedEnvironment[];
  /** Terraform processes at once, over the whole rehearsal (deploys, move, changed-configuration plans, teardowns). @default PARALLELISM */
  readonly parallelism?: number;
}

/** One environment of the rehearsal and how its teardown went. */
export interface EnvironmentResult {
  readonly name: string;
  readonly description: string;
  readonly deleteData: boolean;
  /** The app that synthesized it (`REHEARSED_APPS`). @default 'us-east-1' */
  readonly app?: RehearsedEnvironment['app'];
  /** How many stacks it synthesized: the rehearsed ones and the `notRehearsed`. @default the single-region app's */
  readonly synthesizedStacks?: number;
  /** Its stacks the rehearsal cannot run here, and why. @default the single-region app's */
  readonly notRehearsed?: ReadonlyArray<{ readonly name: string; readonly why: string }>;
  /** Absent when the teardown did not run (the emulator never started). */
  readonly teardown?: { readonly ok: boolean; readonly notStarted: readonly string[]; readonly costSummary: string; readonly leftovers: readonly Leftover[] };
}

/** What the account held after the teardowns, against what their dry runs said would stay. */
export interface LeftoverCheck {
  readonly problems: readonly string[];
  readonly expected: number;
  /** The regions listed: every region the environments' stacks use. @default the first environment's */
  readonly regions?: readonly string[];
}

export interface RehearsalResult {
  readonly motoVersion: string;
  readonly fixes: readonly string[];
  readonly synthesisSeconds: number;
  readonly environments: readonly EnvironmentResult[];
  /** Every environment's stacks, in the order they started. */
  readonly stacks: readonly StackRehearsal[];
  /** When each task of the schedule ran and its own terraform seconds (the phases overlap: see `phaseSpans`, `rehearsalCriticalPath`). */
  readonly timings?: readonly TaskTiming[];
  /**
   * CPU seconds (user and system) of the rehearsal's child processes from the emulator's start to
   * its stop: the terraform processes with their providers and the python helpers, and the
   * emulator itself (undefined where /proc is not available).
   */
  readonly cpu?: { readonly terraform: number; readonly emulator: number };
  /** Every terraform process the rehearsal ran, in the order they ended, with its wall and CPU seconds (`commandType`). */
  readonly commands?: readonly CommandRecord[];
  /** The move of the deployed baseline onto this version (undefined when the baseline did not deploy). */
  readonly move?: MoveResult;
  readonly scenarios: readonly ScenarioResult[];
  /** Absent when a teardown failed (the account then holds more than any dry run listed). */
  readonly leftovers?: LeftoverCheck;
  readonly seconds: number;
  /** What stopped the rehearsal before its end, if anything did. */
  readonly error?: string;
}

interface PreparedEnvironment {
  readonly environment: RehearsedEnvironment;
  readonly configFile: string;
  readonly synthDir: string;
  readonly stacksDir: string;
}

/**
 * Synthesizes every environment from `configFile` (each with its change merged over it) with its
 * app (the single-region or the multi-region one) and starts the emulator (one server, every
 * region), then runs the rehearsal as one schedule (`rehearsalTasks`): the first
 * environment is an existing deployment, every AWS stack as `main` deployed it (the baseline,
 * tools/rehearsal/baseline) along the stack graph, in a fresh account (the first plan with
 * instances stops at the vCPU quota, the operator raises it), each stack moved onto this version
 * once the stacks it depends on are moved (plan-review must flag nothing). Every other
 * environment is added side by side into the same account meanwhile, each stack as soon as the
 * stacks it depends on (manifest.json) and the environment before it have deployed the same stack
 * in its region (its regions in parallel), asking for the quota increases the plan-time checks
 * name, in the region they name. Each changed configuration is planned against the first
 * environment as soon as the stacks it plans against are moved, and each environment is torn down
 * with the teardown command once nothing else needs it, whatever failed before; last, the
 * account, in every region the environments used, must hold exactly what the teardowns said would
 * stay. The emulator always stops.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const mirror = findProviderMirror(AWS_PROVIDER);
  if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR to the folder that holds registry.terraform.io/)');
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-rehearsal-'));
  const cliConfigFile = writeMirrorCliConfig(scratch, mirror, [AWS_PROVIDER]);
  const { motoVersion, fixes } = await emulatorFixes();
  const synthesisStarted = Date.now();
  const environments = await Promise.all((options.environments ?? ENVIRONMENTS).map((environment) => prepareEnvironment(environment, options.configFile, scratch)));
  const synthesisSeconds = (Date.now() - synthesisStarted) / 1000;
  log(`synthesized ${environments.length} environments in ${synthesisSeconds.toFixed(1)} s`);
  const stacks: StackRehearsal[] = [];
  let results: EnvironmentResult[] = environments.map(environmentResult);
  let scenarios: ScenarioResult[] = [];
  let leftovers: LeftoverCheck | undefined;
  let move: MoveResult | undefined;
  const failures: string[] = [];
  let emulator: Emulator | undefined;
  const slot = limiter(options.parallelism ?? PARALLELISM);
  const timings: TaskTiming[] = [];
  const commands: CommandRecord[] = [];
  const cpuAtStart = childCpuSeconds();
  let cpuBeforeStop: number | undefined;
  try {
    emulator = await startEmulator();
    const activeSetup: TerraformSetup = { cliConfigFile, env: emulatorEnv(emulator.caBundle), commands };
    log(`moto ${motoVersion} listening on ${emulator.endpoint}`);
    const context: DeployContext = { endpoint: emulator.endpoint, setup: activeSetup, slot, stacks, log };
    // The environment deployed from the baseline, moved, and planned against: the first, unless a run leaves it out (--environments).
    const first = environments[0]?.environment.fromBaseline ? environments[0] : undefined;
    // The changed configurations need no emulator to synthesize: they do so while the stacks deploy, two at a time.
    const definitions = options.skipScenarios || !first ? [] : SCENARIOS;
    const synthesisSlot = limiter(2);
    const scenarioContext: ScenarioContext = { configFile: first?.configFile ?? '', scratch: join(scratch, 'scenarios'), endpoint: emulator.endpoint, setup: activeSetup, rehearsed: { synthDir: first?.synthDir ?? '', stacksDir: first?.stacksDir ?? '' }, log, slot };
    const synthesized = new Map(definitions.map((scenario) => [scenario.name, synthesisSlot(() => synthesizeScenario(scenario, scenarioContext))]));
    for (const pending of synthesized.values()) pending.catch(() => undefined); // awaited, and reported, by its plan
    const tasks = rehearsalTasks(rehearsalPlanInput(environments.map((prepared) => ({ name: prepared.environment.name, fromBaseline: prepared === first, stacks: stackGraph(prepared.synthDir) })), definitions));
    const moves: StackMove[] = [];
    const teardowns = new Map<string, EnvironmentTeardown>();
    const runTask = async (task: RehearsalTask): Promise<boolean> => {
      const prepared = environments.find((candidate) => candidate.environment.name === task.environment);
      const definition = task.stack === undefined ? undefined : rehearsedStack(task.stack);
      if (task.kind === 'vcpu-stop' && prepared && definition) return freshAccountStop(prepared, definition, context, failures);
      if (task.kind === 'deploy' && prepared && definition) return deploy(prepared, definition, prepared === first, context, failures);
      if (task.kind === 're-plan' && prepared && definition) return replan(prepared, definition, context, failures, task.slotOrder);
      if (task.kind === 'move' && prepared && definition) {
        const moved = await moveStack(definition, scratchStack(prepared, definition, context, 'baseline'), prepared.synthDir, context.endpoint, activeSetup, slot);
        moves.push(moved);
        if (moved.moved) log(`moved ${definition.name}: ${moved.steps.map((step) => `${step.step.slice(definition.name.length + 1)} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)} s`).join(', ')}${moved.error ? `: ${moved.error}` : ''}`);
        if (moved.moved && !moved.error) scratchStack(prepared, definition, context, 'baseline').resources = await managedResources(scratchStack(prepared, definition, context, 'baseline').dir, activeSetup);
        return moved.error === undefined;
      }
      const scenario = definitions.find((candidate) => candidate.name === task.scenario);
      const synthesis = scenario && synthesized.get(scenario.name);
      if (task.kind === 'scenario' && scenario && synthesis) {
        const result = await planScenario(scenario, synthesis, scenarioContext);
        scenarios.push(result);
        return result.ok;
      }
      if (task.kind === 'teardown' && prepared) {
        const teardown = await tearDownEnvironment(prepared.environment, stacks.filter((stack) => stack.environment === prepared.environment.name), prepared.synthDir, activeSetup, slot, log, teardownParallelism(prepared));
        teardowns.set(prepared.environment.name, teardown);
        return teardown.result.ok;
      }
      throw new Error(`no such task: ${task.id}`);
    };
    const outcomes = await runSchedule(tasks, async (task) => {
      const startedAt = (Date.now() - started) / 1000;
      const stepsBefore = new Map(stacks.map((stack) => [stack, stack.steps.length]));
      try {
        return await runTask(task);
      } catch (caught) {
        failures.push(`${task.id}: ${caught instanceof Error ? caught.message : String(caught)}`);
        return false;
      } finally {
        const steps = ownSteps(task, { stacks, stepsBefore, moves, scenarios });
        timings.push({ task, started: startedAt, ended: (Date.now() - started) / 1000, ownSeconds: sumOf(steps, (step) => step.seconds), ownCpuSeconds: sumOf(steps, (step) => step.cpuSeconds ?? 0), steps });
      }
    });
    if (first && moves.length > 0) {
      const notMoved = tasks.filter((task) => task.kind === 'move' && outcomes.get(task.id) === undefined).flatMap((task) => task.stack ?? []);
      move = moveResult(moves, notMoved);
      log(`move onto this version: ${move.moved.join(', ') || 'nothing'} moved; flagged ${move.flagged.length}; ${move.ok ? 'as expected' : `NOT AS EXPECTED: ${move.error}`}`);
      if (!move.ok) failures.push(`move onto this version: ${move.error}`);
    }
    for (const task of tasks) if (task.kind === 'scenario' && outcomes.get(task.id) === undefined) failures.push(`${task.id}: not planned (a stack it plans against did not deploy or move)`);
    scenarios = definitions.flatMap((scenario) => scenarios.filter((result) => result.scenario === scenario));
    results = environments.map((prepared) => {
      const teardown = teardowns.get(prepared.environment.name);
      return { ...environmentResult(prepared), ...(teardown ? { teardown: { ok: teardown.result.ok, notStarted: teardown.result.notStarted, costSummary: costSummary(teardown.plan.leftovers), leftovers: teardown.plan.leftovers } } : {}) };
    });
    // Strict as ever: only once every environment's teardown succeeded, the account must hold exactly what their dry runs said would stay.
    // Every region any environment used (quotas, keys, secrets and the rest are per region); S3, IAM and Route 53 list the same from each.
    if (environments.length > 0 && teardowns.size === environments.length && [...teardowns.values()].every((teardown) => teardown.result.ok)) {
      const expected = [...teardowns.values()].flatMap((teardown) => regionalLeftovers(teardown));
      const regions = [...new Set(environments.flatMap((prepared) => stackGraph(prepared.synthDir).flatMap((stack) => stackRegions(readStack(prepared.synthDir, stack.name)))))];
      const { endpoint, caBundle } = emulator;
      const listings = await Promise.all(regions.map(async (region) => ({ region, leftovers: await listLeftovers(endpoint, caBundle, region) })));
      leftovers = { expected: expected.length, regions, problems: accountLeftoverProblems(expected, listings, EMULATOR_ACCOUNT) };
      log(`what stays in ${regions.join(', ')}: ${leftovers.problems.length === 0 ? `as the dry runs said (${expected.length} items)` : leftovers.problems.join('; ')}`);
    }
  } catch (caught) {
    failures.push(caught instanceof Error ? caught.message : String(caught));
  } finally {
    cpuBeforeStop = childCpuSeconds();
    await emulator?.stop();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`scratch folder kept: ${scratch}`);
  }
  const error = failures.length > 0 ? failures.join('; ') : undefined;
  const cpuAtEnd = childCpuSeconds();
  const cpu = cpuAtStart !== undefined && cpuBeforeStop !== undefined && cpuAtEnd !== undefined ? { terraform: cpuBeforeStop - cpuAtStart, emulator: cpuAtEnd - cpuBeforeStop } : undefined;
  return { motoVersion, fixes, synthesisSeconds, environments: results, stacks, timings, ...(cpu ? { cpu } : {}), commands, ...(move ? { move } : {}), scenarios, ...(leftovers ? { leftovers } : {}), seconds: (Date.now() - started) / 1000, ...(error ? { error } : {}) };
}

function environmentResult({ environment, synthDir }: PreparedEnvironment): EnvironmentResult {
  const names = Object.keys(readCdktfManifest(synthDir).stacks);
  return {
    name: environment.name,
    description: environment.description,
    deleteData: environment.teardown.deleteData,
    app: environment.app,
    synthesizedStacks: names.length,
    notRehearsed: names.flatMap((name) => (rehearsedStack(name) ? [] : (notRehearsed(name) ?? []))),
  };
}

/** What a teardown's dry run said would stay, each with the region of its resource's provider. */
function regionalLeftovers(teardown: EnvironmentTeardown): RegionalLeftover[] {
  return teardown.plan.leftovers.map((leftover) => {
    const json = teardown.plan.stacks.find((planned) => planned.stack.name === leftover.stack)?.stack.json;
    if (!json) throw new Error(`the teardown plan has no stack ${leftover.stack}`);
    return { ...leftover, region: resourceRegion(json, leftover.address) };
  });
}

/** Stacks a teardown destroys at once where the graph allows: two per region (eks with cockroach, the PKI with the backups), every terraform process in one of the rehearsal's slots. */
function teardownParallelism(prepared: PreparedEnvironment): number {
  return 2 * new Set(stackGraph(prepared.synthDir).map((stack) => providerRegion(readStack(prepared.synthDir, stack.name)))).size;
}

/** Writes the environment's configuration (its change merged over `configFile`) and synthesizes it. */
async function prepareEnvironment(environment: RehearsedEnvironment, configFile: string, scratch: string): Promise<PreparedEnvironment> {
  const dir = join(scratch, environment.name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(mergeConfig(JSON.parse(readFileSync(configFile, 'utf8')), environment.change), null, 2));
  await synthesize(file, join(dir, 'synth'), environment.app);
  return { environment, configFile: file, synthDir: join(dir, 'synth'), stacksDir: join(dir, 'stacks') };
}

/**
 * The rehearsed stacks of one environment with their dependencies, as its `manifest.json` declares
 * them (what `cdktf deploy '*'` follows), each with the key of the same stack in another
 * environment: its single-region name in its default provider's region.
 */
function stackGraph(synthDir: string): RehearsedNode[] {
  return rehearsedGraph(Object.values(readCdktfManifest(synthDir).stacks), (name) => providerRegion(readStack(synthDir, name)));
}

interface DeployContext {
  readonly endpoint: string;
  readonly setup: TerraformSetup;
  readonly slot: Slot;
  readonly stacks: StackRehearsal[];
  readonly log: (line: string) => void;
}

/**
 * The scratch copy of a stack of an environment, written the first time it is asked for: the
 * first environment's from the baseline (what `main` deployed), every other one's from this
 * version. Its dependencies are this version's (manifest.json), which the baseline's deploy
 * follows too (docs/rehearsal.md).
 */
function scratchStack(prepared: PreparedEnvironment, definition: RehearsedStack, context: DeployContext, source: 'baseline' | 'this version'): StackRehearsal {
  const known = knownStack(prepared, definition, context);
  if (known) return known;
  const { stack, adaptations } = definition.prepare(source === 'baseline' ? readBaselineStack(definition.name) : readStack(prepared.synthDir, definition.name));
  const dependencies = readCdktfManifest(prepared.synthDir).stacks[definition.name]?.dependencies ?? [];
  const rehearsal: StackRehearsal = { environment: prepared.environment.name, name: definition.name, mode: definition.mode, dir: join(prepared.stacksDir, definition.name), steps: [], adaptations, dependencies };
  writeScratchStack(rehearsal.dir, stack, context.endpoint);
  context.stacks.push(rehearsal);
  return rehearsal;
}

/** The scratch copy of a stack of an environment, once written (`scratchStack`). */
function knownStack(prepared: PreparedEnvironment, definition: RehearsedStack, context: DeployContext): StackRehearsal | undefined {
  return context.stacks.find((stack) => stack.environment === prepared.environment.name && stack.name === definition.name);
}

function stepsLine(steps: readonly StepResult[]): string {
  return steps.map((step) => `${step.step} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)} s`).join(', ');
}

/** A deploy's or re-plan's failure: its last step named in the failures, and that step's output logged. */
function failedAt(who: string, steps: readonly StepResult[], context: DeployContext, failures: string[]): void {
  failures.push(`${who}: ${steps.at(-1)?.step} failed`);
  context.log(steps.at(-1)?.detail ?? '');
}

/**
 * The first plan with instances in the emulator's fresh account (the baseline's): it must stop at
 * the vCPU quota, and the operator's increase follows. Returns whether both happened.
 */
async function freshAccountStop(prepared: PreparedEnvironment, definition: RehearsedStack, context: DeployContext, failures: string[]): Promise<boolean> {
  const rehearsal = scratchStack(prepared, definition, context, 'baseline');
  if (await context.slot(() => freshAccountVcpuStop(rehearsal, context.setup, context.endpoint))) return true;
  context.log(`${prepared.environment.name}/${definition.name}: ${stepsLine(rehearsal.steps)}`);
  context.log(rehearsal.steps.at(-1)?.detail ?? '');
  failures.push(`${prepared.environment.name}/${definition.name}: the fresh account's vCPU quota did not stop the first plan as expected`);
  return false;
}

/**
 * Deploys one stack: the first environment's as `main` deployed it (the baseline), every other
 * one's from this version. The account already holds the environments deployed before it: a plan
 * that a plan-time check stops at a quota they share (Elastic IPs, vCPUs) gets the increase its
 * message names, as the operator would request it, and is planned again (docs/rehearsal.md, "Two
 * environments"). Returns whether it deployed.
 */
async function deploy(prepared: PreparedEnvironment, definition: RehearsedStack, baseline: boolean, context: DeployContext, failures: string[]): Promise<boolean> {
  const { name } = prepared.environment;
  const rehearsal = scratchStack(prepared, definition, context, baseline ? 'baseline' : 'this version');
  const deployed = await context.slot(() => deployStack(rehearsal, context.setup, baseline ? undefined : (output) => quotaRequests(output, context)));
  context.log(`${name}/${definition.name}${baseline ? ' (baseline)' : ''}: ${stepsLine(rehearsal.steps)}`);
  if (!deployed) failedAt(`${name}/${definition.name}`, rehearsal.steps, context, failures);
  return deployed;
}

/** The re-plan of a deployed stack, which must show no changes. Returns whether it showed none. */
async function replan(prepared: PreparedEnvironment, definition: RehearsedStack, context: DeployContext, failures: string[], order?: SlotOrder): Promise<boolean> {
  const rehearsal = knownStack(prepared, definition, context);
  if (!rehearsal) throw new Error(`${prepared.environment.name}/${definition.name}: re-planned before it was deployed`);
  const stable = await context.slot(() => replanStack(rehearsal, context.setup), order);
  context.log(`${prepared.environment.name}/${definition.name}: ${stepsLine(rehearsal.steps.slice(-1))}`);
  if (!stable) failedAt(`${prepared.environment.name}/${definition.name}`, rehearsal.steps, context, failures);
  return stable;
}

/**
 * A task's own terraform steps, along what takes its time: a stack's steps it added; the move's
 * steps of its stack; a scenario's longest stack (they plan at once); a teardown's longest chain
 * of stacks (dependants first).
 */
export function ownSteps(task: RehearsalTask, recorded: { readonly stacks: readonly StackRehearsal[]; readonly stepsBefore: ReadonlyMap<StackRehearsal, number>; readonly moves: readonly StackMove[]; readonly scenarios: readonly ScenarioResult[] }): StepResult[] {
  const seconds = (steps: readonly StepResult[]) => sumOf(steps, (step) => step.seconds);
  const added = (stack: StackRehearsal) => stack.steps.slice(recorded.stepsBefore.get(stack) ?? 0);
  if (task.kind === 'deploy' || task.kind === 're-plan' || task.kind === 'vcpu-stop') return recorded.stacks.filter((stack) => stack.environment === task.environment && stack.name === task.stack).flatMap(added);
  if (task.kind === 'move') return [...(recorded.moves.find((move) => move.stack === task.stack)?.steps ?? [])];
  if (task.kind === 'scenario') {
    const result = recorded.scenarios.find((candidate) => candidate.scenario.name === task.scenario);
    const perStack = (result?.planned ?? []).map((stack) => result?.steps.filter((step) => step.step.startsWith(`${stack} `)) ?? []);
    return longestPath(perStack.map((steps) => ({ steps, seconds: seconds(steps) })))?.steps ?? [];
  }
  const own = recorded.stacks.filter((stack) => stack.environment === task.environment);
  const teardown = longestPath(criticalPaths(own.map((stack) => ({ environment: stack.environment, name: stack.name, dependencies: stack.dependencies ?? [], steps: added(stack) })), 'teardown'));
  // Named by stack (`cockroach-us-west-2: destroy`): the teardown's steps of several stacks, one
  // after another, after the longest of the checks that all come before the first destroy.
  const named = (name: string, step: StepResult): StepResult => ({ ...step, step: `${name}: ${step.step}` });
  const checks = own.flatMap((stack) => added(stack).filter((step) => step.step === TEARDOWN_CHECK_STEP).map((step) => named(stack.name, step)));
  const longestCheck = longestPath(checks);
  const chain = (teardown?.path ?? []).flatMap((name) => own.filter((stack) => stack.name === name).flatMap(added).filter((step) => isTeardownStep(step) && step.step !== TEARDOWN_CHECK_STEP).map((step) => named(name, step)));
  return [...(longestCheck ? [longestCheck] : []), ...chain];
}

function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

/**
 * Terraform processes at once over the whole rehearsal (deploys, re-plans, move,
 * changed-configuration plans, teardowns). Most of a stack's deploy is the provider's fixed
 * waiters (S3 lifecycle, the load balancer), not CPU: with 6 instead of 4 a fresh-clone `.ci/run`
 * on the 2-core machine took 1,304 s instead of 1,354 s for the same CPU (docs/rehearsal.md,
 * "Schedule and concurrency").
 */
export const PARALLELISM = 6;

/**
 * CPU seconds of this process's children that have ended and been waited for (`cutime` and
 * `cstime` of /proc/self/stat, in clock ticks of USER_HZ, 100 on Linux: proc(5)); a terraform
 * process counts its provider's. Undefined where /proc is not available.
 */
export function childCpuSeconds(): number | undefined {
  try {
    return childrenCpuOfStat(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The operator's quota requests for a plan a plan-time check stopped (undefined for any other failure). */
async function quotaRequests(planOutput: string, context: DeployContext): Promise<StepResult[] | undefined> {
  const increases = stoppedAtCheck(planOutput) ? requestedQuotaIncreases(planOutput) : [];
  if (increases.length === 0) return undefined;
  return Promise.all(increases.map((increase) => requestQuotaIncrease(increase, context.setup, context.endpoint)));
}

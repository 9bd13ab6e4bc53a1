import { readCdktfManifest } from '@crdb-ory/core';
import { type Leftover, costSummary } from '@crdb-ory/teardown';
import { AWS_PROVIDER, findProviderMirror, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, emulatorFixes, startEmulator } from './emulator';
import { freshAccountVcpuStop, requestQuotaIncrease, requestedQuotaIncreases, stoppedAtCheck } from './fresh-account';
import { emulatorEnv } from './emulator-overrides';
import { EMULATOR_ACCOUNT, ENVIRONMENTS, type RehearsedEnvironment } from './environments';
import { listLeftovers, leftoverProblems } from './leftovers-check';
import { inDependencyOrder } from './graph-order';
import { limiter } from './limiter';
import { REHEARSED_STACKS } from './rehearsed-stacks';
import { type ScenarioResult, mergeConfig, runScenarios } from './scenarios';
import { type StackRehearsal, deployStack, managedResources, writeScratchStack } from './stack-rehearsal';
import { readStack, synthesize } from './synthesize';
import { tearDownEnvironment } from './teardown-rehearsal';
import type { StepResult, TerraformSetup } from './terraform-steps';
import { readBaselineStack } from './baseline';
import { type MoveResult, moveOntoThisVersion } from './move';

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
  /** Terraform processes at once, over every environment (deploy, move and teardown; the changed-configuration plans run two at a time). @default PARALLELISM */
  readonly parallelism?: number;
}

/** One environment of the rehearsal and how its teardown went. */
export interface EnvironmentResult {
  readonly name: string;
  readonly description: string;
  readonly deleteData: boolean;
  /** Absent when the teardown did not run (the emulator never started). */
  readonly teardown?: { readonly ok: boolean; readonly notStarted: readonly string[]; readonly costSummary: string; readonly leftovers: readonly Leftover[] };
}

/** What the account held after the teardowns, against what their dry runs said would stay. */
export interface LeftoverCheck {
  readonly problems: readonly string[];
  readonly expected: number;
}

export interface RehearsalResult {
  readonly motoVersion: string;
  readonly fixes: readonly string[];
  readonly synthesisSeconds: number;
  readonly environments: readonly EnvironmentResult[];
  /** Every environment's stacks, in the order they started. */
  readonly stacks: readonly StackRehearsal[];
  /** Wall seconds of each phase: every environment's deploy (with the move), the changed-configuration plans, the teardowns. */
  readonly phases?: { readonly deploy: number; readonly scenarios: number; readonly teardown: number };
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
 * Synthesizes every environment from `configFile` (each with its change merged over it) and
 * starts the emulator. The first environment is an existing deployment: every AWS stack as `main`
 * deployed it (the baseline, tools/rehearsal/baseline), in the README's order, in a fresh account
 * (the first plan with instances stops at the vCPU quota, the operator raises it), then moved onto
 * this version's stacks (plan-review must flag nothing). Every other environment is added side
 * by side into the same account meanwhile, each stack as soon as the stacks it depends on
 * (manifest.json) and the environment before it have deployed it, asking for the quota increases
 * the plan-time checks name. Then
 * the changed configurations are planned against the first environment, and every environment is
 * torn down with the teardown command, whatever failed before; last, the account must hold exactly
 * what the teardowns said would stay. The emulator always stops.
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
  let error: string | undefined;
  let emulator: Emulator | undefined;
  let setup: TerraformSetup | undefined;
  const slot = limiter(options.parallelism ?? PARALLELISM);
  const phases = { deploy: 0, scenarios: 0, teardown: 0 };
  try {
    emulator = await startEmulator();
    const activeSetup: TerraformSetup = { cliConfigFile, env: emulatorEnv(emulator.caBundle) };
    setup = activeSetup;
    log(`moto ${motoVersion} listening on ${emulator.endpoint}`);
    const context = { endpoint: emulator.endpoint, setup: activeSetup, slot, stacks, log };
    const [first, ...others] = environments;
    const deployStarted = Date.now();
    // Every environment deploys at the same time, each stack once the stacks it depends on are
    // deployed, and once the environment before it has deployed the same stack: each plans its
    // account checks against what the ones before it hold (the Elastic IP quota they share; the
    // fresh account's vCPU stop is the first environment's). The move of the first environment
    // onto this version follows its baseline deploy, while the others go on.
    let before: StackOutcomes | undefined;
    const runs: Array<Promise<string[]>> = [];
    if (first) {
      const outcomes = stackOutcomes();
      before = outcomes;
      runs.push(
        (async () => {
          const failure = await deployBaseline(first, context, outcomes);
          if (failure) return [failure];
          const moving = await moveOntoThisVersion(stacks.filter((stack) => stack.environment === first.environment.name), first.synthDir, context.endpoint, activeSetup, log, slot);
          move = moving;
          log(`move onto this version: ${moving.moved.join(', ') || 'nothing'} moved; flagged ${moving.flagged.length}; ${moving.ok ? 'as expected' : `NOT AS EXPECTED: ${moving.error}`}`);
          for (const rehearsal of stacks) if (rehearsal.environment === first.environment.name && moving.moved.includes(rehearsal.name)) rehearsal.resources = await managedResources(rehearsal.dir, activeSetup);
          return moving.ok ? [] : [`move onto this version: ${moving.error}`];
        })(),
      );
    }
    for (const environment of others) {
      const outcomes = stackOutcomes();
      runs.push(deployEnvironment(environment, context, before, outcomes));
      before = outcomes;
    }
    // Settled, not raced: the teardown must not start while a deploy still runs.
    const failures = (await Promise.allSettled(runs)).flatMap((run) => (run.status === 'fulfilled' ? run.value : [run.reason instanceof Error ? run.reason.message : String(run.reason)]));
    phases.deploy = (Date.now() - deployStarted) / 1000;
    if (failures.length > 0) error = failures.join('; ');
    if (!error && !options.skipScenarios && first) {
      const scenariosStarted = Date.now();
      mkdirSync(join(scratch, 'scenarios'), { recursive: true });
      scenarios = await runScenarios({ configFile: first.configFile, scratch: join(scratch, 'scenarios'), endpoint: emulator.endpoint, setup: activeSetup, rehearsed: { synthDir: first.synthDir, stacksDir: first.stacksDir }, log });
      phases.scenarios = (Date.now() - scenariosStarted) / 1000;
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    if (emulator && setup) {
      const teardownStarted = Date.now();
      try {
        const activeSetup = setup;
        const teardowns = await Promise.all(
          environments.map((prepared) => tearDownEnvironment(prepared.environment, stacks.filter((stack) => stack.environment === prepared.environment.name), prepared.synthDir, activeSetup, slot, log)),
        );
        results = environments.map((prepared, i) => {
          const teardown = teardowns[i];
          return { ...environmentResult(prepared), ...(teardown ? { teardown: { ok: teardown.result.ok, notStarted: teardown.result.notStarted, costSummary: costSummary(teardown.plan.leftovers), leftovers: teardown.plan.leftovers } } : {}) };
        });
        const [first] = environments;
        if (first && teardowns.every((teardown) => teardown.result.ok)) {
          const region = String(readStack(first.synthDir, 'network')['provider']['aws'][0]['region']);
          const expected = teardowns.flatMap((teardown) => teardown.plan.leftovers);
          const actual = await listLeftovers(emulator.endpoint, emulator.caBundle, region);
          leftovers = { expected: expected.length, problems: leftoverProblems(expected, actual, { '<account>': EMULATOR_ACCOUNT, '<region>': region }) };
          log(`what stays: ${leftovers.problems.length === 0 ? `as the dry runs said (${expected.length} items)` : leftovers.problems.join('; ')}`);
        }
      } catch (caught) {
        error ??= `teardown: ${caught instanceof Error ? caught.message : String(caught)}`;
      }
      phases.teardown = (Date.now() - teardownStarted) / 1000;
    }
    await emulator?.stop();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`scratch folder kept: ${scratch}`);
  }
  return { motoVersion, fixes, synthesisSeconds, environments: results, stacks, phases, ...(move ? { move } : {}), scenarios, ...(leftovers ? { leftovers } : {}), seconds: (Date.now() - started) / 1000, ...(error ? { error } : {}) };
}

function environmentResult({ environment }: PreparedEnvironment): EnvironmentResult {
  return { name: environment.name, description: environment.description, deleteData: environment.teardown.deleteData };
}

/** Writes the environment's configuration (its change merged over `configFile`) and synthesizes it. */
async function prepareEnvironment(environment: RehearsedEnvironment, configFile: string, scratch: string): Promise<PreparedEnvironment> {
  const dir = join(scratch, environment.name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(mergeConfig(JSON.parse(readFileSync(configFile, 'utf8')), environment.change), null, 2));
  await synthesize(file, join(dir, 'synth'));
  return { environment, configFile: file, synthDir: join(dir, 'synth'), stacksDir: join(dir, 'stacks') };
}

/**
 * Deploys the environment as `main` deployed it (the baseline stacks, one at a time in the
 * README's order) into the emulator's fresh account: the first plan of the first stack with
 * instances must stop at the vCPU quota, and the operator's increase follows. Returns what failed.
 */
async function deployBaseline(prepared: PreparedEnvironment, context: DeployContext, outcomes: StackOutcomes): Promise<string | undefined> {
  const { environment, synthDir, stacksDir } = prepared;
  const manifest = readCdktfManifest(synthDir);
  try {
    for (const definition of REHEARSED_STACKS) {
      const { stack, adaptations } = definition.prepare(readBaselineStack(definition.name));
      const dependencies = manifest.stacks[definition.name]?.dependencies ?? [];
      const rehearsal: StackRehearsal = { environment: environment.name, name: definition.name, mode: definition.mode, dir: join(stacksDir, definition.name), steps: [], adaptations, dependencies };
      writeScratchStack(rehearsal.dir, stack, context.endpoint);
      context.stacks.push(rehearsal);
      const steps = () => rehearsal.steps.map((step) => `${step.step} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)} s`).join(', ');
      if (definition.firstToNeedVcpus && !(await context.slot(() => freshAccountVcpuStop(rehearsal, context.setup, context.endpoint)))) {
        context.log(`${environment.name}/${definition.name}: ${steps()}`);
        context.log(rehearsal.steps.at(-1)?.detail ?? '');
        return `${environment.name}/${definition.name}: the fresh account's vCPU quota did not stop the first plan as expected`;
      }
      const deployed = await context.slot(() => deployStack(rehearsal, context.setup));
      outcomes.settle(definition.name, deployed);
      context.log(`${environment.name}/${definition.name} (baseline): ${steps()}`);
      if (!deployed) {
        context.log(rehearsal.steps.at(-1)?.detail ?? '');
        return `${environment.name}/${definition.name}: ${rehearsal.steps.at(-1)?.step} failed`;
      }
    }
    return undefined;
  } finally {
    outcomes.settleRest(false);
  }
}

interface DeployContext {
  readonly endpoint: string;
  readonly setup: TerraformSetup;
  readonly slot: <T>(task: () => Promise<T>) => Promise<T>;
  readonly stacks: StackRehearsal[];
  readonly log: (line: string) => void;
}

/**
 * Deploys every rehearsed stack of the environment, each once the stacks its manifest entry
 * depends on are deployed (independent stacks at the same time), as `cdktf deploy '*'` does.
 * The account already holds the environments deployed before it: a plan that a plan-time check
 * stops at a quota they share (Elastic IPs, vCPUs) gets the increase its message names, as the
 * operator would request it, and is planned again (docs/rehearsal.md, "Two environments").
 * Returns what failed; a stack whose upstream failed is not started.
 */
async function deployEnvironment(prepared: PreparedEnvironment, context: DeployContext, before: StackOutcomes | undefined, outcomes: StackOutcomes): Promise<string[]> {
  const { environment, synthDir, stacksDir } = prepared;
  const manifest = readCdktfManifest(synthDir);
  const failures: string[] = [];
  const nodes = REHEARSED_STACKS.map((definition) => ({ name: definition.name, dependencies: manifest.stacks[definition.name]?.dependencies ?? [], definition }));
  try {
    await inDependencyOrder(nodes, async ({ definition, dependencies }) => {
      // Not started when the environment before it failed this stack (that failure is reported there).
      if (before && !(await before.of(definition.name))) return false;
      const ok = await context.slot(async () => {
        const { stack, adaptations } = definition.prepare(readStack(synthDir, definition.name));
        const rehearsal: StackRehearsal = { environment: environment.name, name: definition.name, mode: definition.mode, dir: join(stacksDir, definition.name), steps: [], adaptations, dependencies };
        writeScratchStack(rehearsal.dir, stack, context.endpoint);
        context.stacks.push(rehearsal);
        const deployed = await deployStack(rehearsal, context.setup, (output) => quotaRequests(output, context));
        context.log(`${environment.name}/${definition.name}: ${rehearsal.steps.map((step) => `${step.step} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)} s`).join(', ')}`);
        if (!deployed) {
          failures.push(`${environment.name}/${definition.name}: ${rehearsal.steps.at(-1)?.step} failed`);
          context.log(rehearsal.steps.at(-1)?.detail ?? '');
        }
        return deployed;
      });
      outcomes.settle(definition.name, ok);
      return ok;
    });
  } finally {
    outcomes.settleRest(false);
  }
  return failures;
}

/**
 * Terraform processes at once over every environment (the deploys, the move, the teardowns).
 * Most of a stack's deploy is the provider's fixed waiters (S3 lifecycle, the load balancer), not
 * CPU, but each plan and refresh keeps a core busy: measured on the 2-core machine (docs/rehearsal.md).
 */
export const PARALLELISM = 3;

/** Whether each stack of one environment deployed, for the environment after it to wait on. */
interface StackOutcomes {
  /** Resolves once the stack deployed (true), failed (false) or will not start (false). */
  of(name: string): Promise<boolean>;
  settle(name: string, ok: boolean): void;
  /** Settles every stack not settled yet: the environment's deploy is over. */
  settleRest(ok: boolean): void;
}

function stackOutcomes(): StackOutcomes {
  const entries = new Map<string, { readonly promise: Promise<boolean>; resolve: (ok: boolean) => void }>();
  const entry = (name: string) => {
    let known = entries.get(name);
    if (!known) {
      let resolve: (ok: boolean) => void = () => undefined;
      const promise = new Promise<boolean>((settle) => (resolve = settle));
      known = { promise, resolve };
      entries.set(name, known);
    }
    return known;
  };
  const settled = new Set<string>();
  const settle = (name: string, ok: boolean) => {
    if (settled.has(name)) return;
    settled.add(name);
    entry(name).resolve(ok);
  };
  return {
    of: (name) => entry(name).promise,
    settle,
    settleRest: (ok) => {
      for (const definition of REHEARSED_STACKS) settle(definition.name, ok);
      for (const name of entries.keys()) settle(name, ok);
    },
  };
}

/** The operator's quota requests for a plan a plan-time check stopped (undefined for any other failure). */
function quotaRequests(planOutput: string, context: DeployContext): StepResult[] | undefined {
  const increases = stoppedAtCheck(planOutput) ? requestedQuotaIncreases(planOutput) : [];
  if (increases.length === 0) return undefined;
  return increases.map((increase) => requestQuotaIncrease(increase, context.setup, context.endpoint));
}

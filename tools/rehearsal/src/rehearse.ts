import { readCdktfManifest } from '@crdb-ory/core';
import { type Leftover, costSummary } from '@crdb-ory/teardown';
import { AWS_PROVIDER, findProviderMirror, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, emulatorFixes, startEmulator } from './emulator';
import { emulatorEnv } from './emulator-overrides';
import { EMULATOR_ACCOUNT, ENVIRONMENTS, type RehearsedEnvironment } from './environments';
import { listLeftovers, leftoverProblems } from './leftovers-check';
import { inDependencyOrder } from './graph-order';
import { limiter } from './limiter';
import { REHEARSED_STACKS } from './rehearsed-stacks';
import { type ScenarioResult, mergeConfig, runScenarios } from './scenarios';
import { type StackRehearsal, deployStack, writeScratchStack } from './stack-rehearsal';
import { readStack, synthesize } from './synthesize';
import { tearDownEnvironment } from './teardown-rehearsal';
import type { TerraformSetup } from './terraform-steps';

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
  /** Terraform processes at once, over every environment (deploy and teardown; the changed-configuration plans run two at a time). @default 3 */
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
 * Synthesizes every environment from `configFile` (each with its change merged over it), starts
 * the emulator, deploys the environments side by side into its one account, each stack as soon as
 * the stacks it depends on (manifest.json) are deployed (init, plan, apply, re-plan), plans the
 * changed configurations against the first environment, and tears every environment down with
 * the teardown command, whatever failed before; then checks that the account holds exactly what
 * the teardowns said would stay. The emulator always stops.
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
  let error: string | undefined;
  let emulator: Emulator | undefined;
  let setup: TerraformSetup | undefined;
  const slot = limiter(options.parallelism ?? 3);
  try {
    emulator = await startEmulator();
    setup = { cliConfigFile, env: emulatorEnv(emulator.caBundle) };
    log(`moto ${motoVersion} listening on ${emulator.endpoint}`);
    const context = { endpoint: emulator.endpoint, setup, slot, stacks, log };
    const failures = (await Promise.all(environments.map((environment) => deployEnvironment(environment, context)))).flat();
    if (failures.length > 0) error = failures.join('; ');
    const [first] = environments;
    if (!error && !options.skipScenarios && first) {
      mkdirSync(join(scratch, 'scenarios'), { recursive: true });
      scenarios = await runScenarios({ configFile: first.configFile, scratch: join(scratch, 'scenarios'), endpoint: emulator.endpoint, setup, rehearsed: { synthDir: first.synthDir, stacksDir: first.stacksDir }, log });
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    if (emulator && setup) {
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
    }
    await emulator?.stop();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`scratch folder kept: ${scratch}`);
  }
  return { motoVersion, fixes, synthesisSeconds, environments: results, stacks, scenarios, ...(leftovers ? { leftovers } : {}), seconds: (Date.now() - started) / 1000, ...(error ? { error } : {}) };
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
 * Returns what failed; a stack whose upstream failed is not started.
 */
async function deployEnvironment(prepared: PreparedEnvironment, context: DeployContext): Promise<string[]> {
  const { environment, synthDir, stacksDir } = prepared;
  const manifest = readCdktfManifest(synthDir);
  const failures: string[] = [];
  const nodes = REHEARSED_STACKS.map((definition) => ({ name: definition.name, dependencies: manifest.stacks[definition.name]?.dependencies ?? [], definition }));
  await inDependencyOrder(nodes, ({ definition }) =>
    context.slot(async () => {
      const { stack, adaptations } = definition.prepare(readStack(synthDir, definition.name));
      const rehearsal: StackRehearsal = { environment: environment.name, name: definition.name, mode: definition.mode, dir: join(stacksDir, definition.name), steps: [], adaptations };
      writeScratchStack(rehearsal.dir, stack, context.endpoint);
      context.stacks.push(rehearsal);
      const ok = await deployStack(rehearsal, context.setup);
      context.log(`${environment.name}/${definition.name}: ${rehearsal.steps.map((step) => `${step.step} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)} s`).join(', ')}`);
      if (!ok) {
        failures.push(`${environment.name}/${definition.name}: ${rehearsal.steps.at(-1)?.step} failed`);
        context.log(rehearsal.steps.at(-1)?.detail ?? '');
      }
      return ok;
    }),
  );
  return failures;
}

import { AWS_PROVIDER, findProviderMirror, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, emulatorFixes, startEmulator } from './emulator';
import { emptyBucket } from './empty-bucket';
import { freshAccountVcpuStop } from './fresh-account';
import { emulatorEnv } from './emulator-overrides';
import type { TerraformSetup } from './terraform-steps';
import { REHEARSED_STACKS } from './rehearsed-stacks';
import { type StackRehearsal, deployStack, destroyStack, managedResources, writeScratchStack } from './stack-rehearsal';
import { synthesize } from './synthesize';
import { type ScenarioResult, runScenarios } from './scenarios';
import { readBaselineStack } from './baseline';
import { type MoveResult, moveOntoThisVersion } from './move';

export interface RehearsalOptions {
  /** The configuration the rehearsal deploys (JSON, as `CRDB_ORY_CONFIG` takes it). */
  readonly configFile: string;
  /** Skip the changed-configuration plans. @default false */
  readonly skipScenarios?: boolean;
  /** Keep the scratch folder (for debugging). @default false */
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export interface RehearsalResult {
  readonly motoVersion: string;
  readonly fixes: readonly string[];
  readonly synthesisSeconds: number;
  readonly stacks: readonly StackRehearsal[];
  /** The move of the deployed baseline onto this version (undefined when the baseline did not deploy). */
  readonly move?: MoveResult;
  readonly scenarios: readonly ScenarioResult[];
  /** The state bucket's object versions deleted before the state stack's destroy. */
  readonly stateBucketObjectsDeleted: number;
  readonly seconds: number;
  /** What stopped the rehearsal before its end, if anything did. */
  readonly error?: string;
}

/**
 * Synthesizes the stacks from `configFile`, starts the emulator, deploys every AWS stack as
 * `main` deployed it (the baseline, tools/rehearsal/baseline: init, plan, apply, re-plan), moves
 * that deployment onto this version's stacks (plan-review must flag nothing), plans the changed
 * configurations against the moved state, and destroys everything in reverse order, whatever
 * failed before. The emulator always stops.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const mirror = findProviderMirror(AWS_PROVIDER);
  if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR to the folder that holds registry.terraform.io/)');
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-rehearsal-'));
  const cliConfigFile = writeMirrorCliConfig(scratch, mirror, [AWS_PROVIDER]);
  const { motoVersion, fixes } = await emulatorFixes();
  const synthesis = synthesize(options.configFile, join(scratch, 'synth'));
  log(`synthesized in ${synthesis.seconds.toFixed(1)} s`);
  const stacks: StackRehearsal[] = [];
  let scenarios: ScenarioResult[] = [];
  let move: MoveResult | undefined;
  let error: string | undefined;
  let stateBucketObjectsDeleted = 0;
  let emulator: Emulator | undefined;
  let setup: TerraformSetup | undefined;
  try {
    emulator = await startEmulator();
    setup = { cliConfigFile, env: emulatorEnv(emulator.caBundle) };
    log(`moto ${motoVersion} listening on ${emulator.endpoint}`);
    for (const definition of REHEARSED_STACKS) {
      const { stack, adaptations } = definition.prepare(readBaselineStack(definition.name));
      const rehearsal: StackRehearsal = { name: definition.name, mode: definition.mode, dir: join(scratch, 'stacks', definition.name), steps: [], adaptations };
      writeScratchStack(rehearsal.dir, stack, emulator.endpoint);
      stacks.push(rehearsal);
      if (definition.firstToNeedVcpus && !(await freshAccountVcpuStop(rehearsal, setup, emulator.endpoint))) {
        log(`${definition.name}: ${rehearsal.steps.map((step) => `${step.step} ${step.ok ? 'ok' : 'FAILED'}`).join(', ')}`);
        error = `${definition.name}: the fresh account's vCPU quota did not stop the first plan as expected`;
        log(rehearsal.steps.at(-1)?.detail ?? '');
        break;
      }
      const deployed = await deployStack(rehearsal, setup);
      log(`${definition.name}: ${rehearsal.steps.map((step) => `${step.step} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)} s`).join(', ')}`);
      if (!deployed) {
        error = `${definition.name}: ${rehearsal.steps.at(-1)?.step} failed`;
        log(rehearsal.steps.at(-1)?.detail ?? '');
        break;
      }
    }
    if (!error) {
      move = await moveOntoThisVersion(stacks, join(scratch, 'synth'), emulator.endpoint, setup, log);
      log(`move onto this version: ${move.moved.join(', ') || 'nothing'} moved; flagged ${move.flagged.length}; ${move.ok ? 'as expected' : `NOT AS EXPECTED: ${move.error}`}`);
      if (!move.ok) error = `move onto this version: ${move.error}`;
      for (const rehearsal of stacks) if (move.moved.includes(rehearsal.name)) rehearsal.resources = await managedResources(rehearsal.dir, setup);
    }
    if (!error && !options.skipScenarios) {
      mkdirSync(join(scratch, 'scenarios'), { recursive: true });
      scenarios = await runScenarios({ configFile: options.configFile, scratch: join(scratch, 'scenarios'), endpoint: emulator.endpoint, setup, rehearsed: { synthDir: join(scratch, 'synth'), stacksDir: join(scratch, 'stacks') }, log });
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    if (emulator && setup) {
      for (const rehearsal of [...stacks].reverse()) {
        if (!rehearsal.steps.some((step) => step.step === 'apply')) continue;
        if (rehearsal.name === 'state') stateBucketObjectsDeleted = await emptyStateBucket(rehearsal, emulator.endpoint, setup);
        const destroyed = await destroyStack(rehearsal, setup);
        log(`${rehearsal.name}: destroy ${destroyed ? 'ok' : 'FAILED'}`);
      }
    }
    await emulator?.stop();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`scratch folder kept: ${scratch}`);
  }
  return { motoVersion, fixes, synthesisSeconds: synthesis.seconds, stacks, ...(move ? { move } : {}), scenarios, stateBucketObjectsDeleted, seconds: (Date.now() - started) / 1000, ...(error ? { error } : {}) };
}

/** The state bucket refuses deletion while it holds state (forceDestroy is off, as in production); empty it as an operator would. */
async function emptyStateBucket(rehearsal: StackRehearsal, endpoint: string, setup: TerraformSetup): Promise<number> {
  const started = Date.now();
  const { bucket, deleted } = await emptyBucket(rehearsal.dir, endpoint, setup);
  rehearsal.steps.push({ step: `empty ${bucket}`, ok: true, seconds: (Date.now() - started) / 1000 });
  return deleted;
}

import { cpuOf } from '@crdb-ory/terraform-harness';
import { readCdktfManifest } from '@crdb-ory/core';
import { type TeardownPlan, type TeardownResult, planTeardown, runTeardown } from '@crdb-ory/teardown';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RehearsedEnvironment } from './environments';
import type { StackRehearsal } from './stack-rehearsal';
import { type TerraformSetup, terraformIn } from './terraform-steps';

export interface EnvironmentTeardown {
  readonly plan: TeardownPlan;
  readonly result: TeardownResult;
}

/**
 * Tears one environment down with the teardown command's own planning and driver
 * (`npm run teardown -- --yes`), on the scratch copies the rehearsal applied: every stack that got
 * as far as an apply: every stack checked first, then torn down in reverse graph order (dependants
 * first, every region's). `slot` bounds the terraform processes (a `limiter`). Its steps are added
 * to each stack's rehearsal (`teardown check`, `teardown settings`, `teardown keep`, `destroy`).
 */
export async function tearDownEnvironment(
  environment: RehearsedEnvironment,
  stacks: readonly StackRehearsal[],
  synthDir: string,
  setup: TerraformSetup,
  slot: <T>(task: () => Promise<T>) => Promise<T>,
  log: (line: string) => void,
  parallelism = 2,
): Promise<EnvironmentTeardown> {
  const manifest = readCdktfManifest(synthDir);
  const deployed = stacks.filter((stack) => stack.steps.some((step) => step.step === 'apply'));
  const input = deployed.map((stack) => ({
    name: stack.name,
    dependencies: manifest.stacks[stack.name]?.dependencies ?? [],
    json: JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8')),
    dir: stack.dir,
  }));
  const plan = planTeardown(input, environment.teardown);
  // `parallelism` stacks at a time where the graph allows (two per region: eks with cockroach, the
  // pki with the backups); every terraform process takes one of the rehearsal's slots.
  // Each step's CPU is the teardown driver's own sum over the step's commands (terraformIn measures every one).
  const result = await runTeardown(
    plan,
    (stack, args) => slot(() => terraformIn(stack.stack.dir, setup)(args)),
    (line) => log(`${environment.name}/${line}`),
    { parallelism },
  );
  for (const stackResult of result.stacks) {
    const rehearsal = deployed.find((stack) => stack.name === stackResult.stack);
    for (const step of stackResult.steps) {
      if (step.step === 'init') continue;
      rehearsal?.steps.push({ step: step.step === 'destroy' ? 'destroy' : `teardown ${step.step}`, ok: step.ok, seconds: step.seconds, ...cpuOf(step), ...(step.detail ? { detail: step.detail } : {}) });
    }
  }
  return { plan, result };
}

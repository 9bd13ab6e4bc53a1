import { parsePlan, showJsonOf } from '@crdb-ory/core/terraform';
import type { TerraformResult } from '@crdb-ory/terraform-harness';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetedPlanProblems } from './targeted-plan-check';
import type { SettingChange, StackTeardownPlan, TeardownPlan } from './teardown-plan';

/** Runs `terraform <args>` in a stack's working folder. */
export type StackTerraform = (stack: StackTeardownPlan, args: readonly string[]) => Promise<TerraformResult>;

/** One terraform step of the teardown, timed. */
export interface TeardownStep {
  readonly step: 'init' | 'settings' | 'keep' | 'destroy';
  readonly ok: boolean;
  readonly seconds: number;
  /** What went wrong, or what a step did (`kept 9 resources`). */
  readonly detail?: string;
}

export interface StackTeardownResult {
  readonly stack: string;
  readonly steps: readonly TeardownStep[];
  /** Why nothing was done: the stack holds no resources (never deployed, or already destroyed). */
  readonly skipped?: string;
  readonly ok: boolean;
}

export interface TeardownResult {
  readonly stacks: readonly StackTeardownResult[];
  /** Stacks not torn down because an earlier one failed. */
  readonly notStarted: readonly string[];
  readonly ok: boolean;
}

/**
 * The override file of the targeted apply. It exists only while that apply runs: the destroy
 * after it needs nothing from it, because the provider's delete reads force_destroy and
 * final_snapshot from the state the apply wrote (hashicorp/terraform-provider-aws
 * internal/service/s3/bucket.go resourceBucketDelete, internal/service/ec2/ebs_volume.go
 * resourceEBSVolumeDelete: `d.Get(...)` on the prior state) and deletion protection is off in
 * AWS; and a later `cdktf deploy` of the same folder must not pick it up. A file left by an
 * interrupted run is removed before anything else.
 */
export const TEARDOWN_OVERRIDE_FILE = 'crdb_ory_teardown_override.tf.json';

/**
 * Tears the stacks down in the plan's order, each once every stack that depends on it is torn
 * down, at most `parallelism` at a time (default one: the operator reads one stack's output at a
 * time), stopping at the first failure (the stacks not started stay deployed: run the teardown
 * again once the cause is fixed; every step is safe to repeat). Per stack: init when the folder
 * never was; skip it when its state holds no resources; the targeted apply of the teardown
 * settings, refused when its plan would change anything else; `terraform state rm` of what is
 * kept; `terraform destroy`.
 */
export async function runTeardown(
  plan: TeardownPlan,
  terraform: StackTerraform,
  log: (line: string) => void = () => undefined,
  options: { readonly parallelism?: number } = {},
): Promise<TeardownResult> {
  const parallelism = Math.max(1, options.parallelism ?? 1);
  const results = new Map<string, StackTeardownResult>();
  const running = new Map<string, Promise<void>>();
  let failed = false;
  const names = new Set(plan.stacks.map((s) => s.stack.name));
  const dependants = (name: string) => plan.stacks.filter((s) => s.stack.dependencies.includes(name)).map((s) => s.stack.name).filter((n) => names.has(n));
  const ready = (stack: StackTeardownPlan) => !results.has(stack.stack.name) && !running.has(stack.stack.name) && dependants(stack.stack.name).every((name) => results.get(name)?.ok === true);
  for (;;) {
    while (!failed && running.size < parallelism) {
      const next = plan.stacks.find(ready);
      if (!next) break;
      const name = next.stack.name;
      running.set(
        name,
        tearDownStack(next, terraform, log).then((result) => {
          results.set(name, result);
          running.delete(name);
          if (!result.ok) failed = true;
        }),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  const done = plan.stacks.filter((s) => results.has(s.stack.name));
  return { stacks: done.map((s) => results.get(s.stack.name) as StackTeardownResult), notStarted: plan.stacks.filter((s) => !results.has(s.stack.name)).map((s) => s.stack.name), ok: !failed && done.length === plan.stacks.length };
}

async function tearDownStack(plan: StackTeardownPlan, terraform: StackTerraform, log: (line: string) => void): Promise<StackTeardownResult> {
  const name = plan.stack.name;
  const steps: TeardownStep[] = [];
  const fail = (step: TeardownStep['step'], seconds: number, detail: string): StackTeardownResult => {
    steps.push({ step, ok: false, seconds, detail });
    log(`${name}: ${step} FAILED: ${detail}`);
    return { stack: name, steps, ok: false };
  };
  const overrideFile = join(plan.stack.dir, TEARDOWN_OVERRIDE_FILE);
  rmSync(overrideFile, { force: true });
  if (!existsSync(join(plan.stack.dir, '.terraform'))) {
    const init = await terraform(plan, ['init', '-input=false']);
    if (!init.ok) return fail('init', init.seconds, lastLines(init.output));
    steps.push({ step: 'init', ok: true, seconds: init.seconds });
  }
  const list = await terraform(plan, ['state', 'list']);
  // A local backend with no state file yet answers "No state file was found!" (exit 1): nothing deployed.
  const noStateYet = !list.ok && /No state file was found/.test(list.output);
  if (!list.ok && !noStateYet) return fail('init', list.seconds, `terraform state list: ${lastLines(list.output)}`);
  const inState = new Set((noStateYet ? '' : list.output).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('data.') && !line.includes('.data.')));
  if (inState.size === 0) {
    log(`${name}: nothing deployed, skipped`);
    return { stack: name, steps, skipped: 'its state holds no resources', ok: true };
  }
  const changes = plan.changes.filter((change) => inState.has(change.address));
  if (changes.length > 0) {
    const started = Date.now();
    writeFileSync(overrideFile, JSON.stringify(overrideOf(changes), null, 2));
    try {
      const targets = [...new Set(changes.map((c) => `-target=${c.address}`))];
      const planned = await terraform(plan, ['plan', '-input=false', '-lock-timeout=120s', '-out=teardown.tfplan', ...targets]);
      if (!planned.ok) return fail('settings', seconds(started), `terraform plan: ${lastLines(planned.output)}`);
      const shown = await terraform(plan, ['show', '-json', 'teardown.tfplan']);
      if (!shown.ok) return fail('settings', seconds(started), `terraform show: ${lastLines(shown.output)}`);
      const problems = targetedPlanProblems(parsePlan(showJsonOf(shown.output, `${name}/teardown.tfplan`), `${name}/teardown.tfplan`), changes);
      if (problems.length > 0) return fail('settings', seconds(started), `the targeted plan changes more than the teardown settings, so nothing was applied: ${problems.join('; ')}. Deploy the stack's current configuration first (cdktf deploy ${name}), then run the teardown again.`);
      const applied = await terraform(plan, ['apply', '-input=false', '-lock-timeout=120s', 'teardown.tfplan']);
      if (!applied.ok) return fail('settings', seconds(started), `terraform apply: ${lastLines(applied.output)}`);
    } finally {
      rmSync(overrideFile, { force: true });
      rmSync(join(plan.stack.dir, 'teardown.tfplan'), { force: true });
    }
    steps.push({ step: 'settings', ok: true, seconds: seconds(started), detail: changes.map((c) => `${c.address}.${c.attribute} = ${JSON.stringify(c.to)}`).join(', ') });
    log(`${name}: ${changes.map((c) => `${c.address}.${c.attribute} = ${JSON.stringify(c.to)}`).join(', ')}`);
  }
  const kept = plan.kept.map((k) => k.address).filter((address) => inState.has(address));
  if (kept.length > 0) {
    const removed = await terraform(plan, ['state', 'rm', '-lock-timeout=120s', ...kept]);
    if (!removed.ok) return fail('keep', removed.seconds, lastLines(removed.output));
    steps.push({ step: 'keep', ok: true, seconds: removed.seconds, detail: `kept ${kept.length}: ${kept.join(', ')}` });
    log(`${name}: kept ${kept.join(', ')} (removed from the state, left in AWS)`);
  }
  const destroyed = await terraform(plan, ['destroy', '-input=false', '-auto-approve', '-lock-timeout=120s']);
  if (!destroyed.ok) return fail('destroy', destroyed.seconds, lastLines(destroyed.output));
  steps.push({ step: 'destroy', ok: true, seconds: destroyed.seconds });
  log(`${name}: destroyed`);
  return { stack: name, steps, ok: true };
}

/** `{ resource: { <type>: { <name>: { <attribute>: <value> } } } }`, merged by Terraform over the stack's JSON. */
export function overrideOf(changes: readonly SettingChange[]): Record<string, unknown> {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const change of changes) {
    const [type, ...rest] = change.address.split('.');
    const name = rest.join('.');
    if (!type || !name) throw new Error(`not a resource address: ${change.address}`);
    ((resource[type] ??= {})[name] ??= {})[change.attribute] = change.to;
  }
  return { resource };
}

function seconds(started: number): number {
  return (Date.now() - started) / 1000;
}

function lastLines(output: string, count = 15): string {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

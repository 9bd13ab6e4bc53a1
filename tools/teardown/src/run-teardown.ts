import { parsePlan, showJsonOf } from '@crdb-ory/core/terraform';
import { type TerraformResult, cpuOf } from '@crdb-ory/terraform-harness';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetedPlanProblems } from './targeted-plan-check';
import type { SettingChange, StackTeardownPlan, TeardownPlan } from './teardown-plan';

/** Runs `terraform <args>` in a stack's working folder. */
export type StackTerraform = (stack: StackTeardownPlan, args: readonly string[]) => Promise<TerraformResult>;

/** One terraform step of the teardown, timed. */
export interface TeardownStep {
  /**
   * `init` (init when needed, `state list`); `check` (the targeted plan of the teardown settings and
   * its check, before anything is destroyed); `settings` (applying that saved plan); `keep`
   * (`state rm`); `destroy`.
   */
  readonly step: 'init' | 'check' | 'settings' | 'keep' | 'destroy';
  readonly ok: boolean;
  readonly seconds: number;
  /**
   * CPU seconds (user + system) of the step's terraform processes with their providers, when the
   * `StackTerraform` measured every one of them (terraform-harness `measureCpu`: the rehearsal's).
   */
  readonly cpuSeconds?: number;
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
  /** Stacks not torn down because an earlier one failed (or a check failed before any destroy). */
  readonly notStarted: readonly string[];
  readonly ok: boolean;
}

/**
 * The override file of the targeted plan. It exists only while that plan runs: the saved plan
 * carries the configuration it was made from (`terraform apply <plan file>` applies it without
 * reading the configuration again; Terraform CLI docs, `apply`, "Saved Plan mode"), and the
 * destroy after it needs nothing from it, because the provider's delete reads force_destroy and
 * final_snapshot from the state the apply wrote (hashicorp/terraform-provider-aws
 * internal/service/s3/bucket.go resourceBucketDelete, internal/service/ec2/ebs_volume.go
 * resourceEBSVolumeDelete: `d.Get(...)` on the prior state) and deletion protection is off in
 * AWS; and a later `cdktf deploy` of the same folder must not pick it up. A file left by an
 * interrupted run is removed before anything else.
 */
export const TEARDOWN_OVERRIDE_FILE = 'crdb_ory_teardown_override.tf.json';

/** The saved targeted plan of a stack's teardown settings, from its check until its apply. */
export const TEARDOWN_PLAN_FILE = 'teardown.tfplan';

/** What the check of one stack found: what its state holds, and whether its settings plan is saved. */
interface CheckedStack {
  readonly inState: ReadonlySet<string>;
  readonly changes: readonly SettingChange[];
  readonly steps: readonly TeardownStep[];
  /** The stack's result when it is done already: skipped (nothing deployed) or failed. */
  readonly done?: StackTeardownResult;
}

/**
 * Tears the stacks down in two passes, at most `parallelism` stacks at a time (default one: the
 * operator reads one stack's output at a time), stopping at the first failure (the stacks not
 * started stay deployed: run the teardown again once the cause is fixed; every step is safe to
 * repeat).
 *
 * 1. **Check every stack before anything is destroyed**: init when the folder never was; skip it
 *    when its state holds no resources; else the targeted plan of its teardown settings, saved,
 *    refused when it would change anything else. A stack that cannot be torn down cleanly stops
 *    the teardown before the first destroy, not half-way through it.
 * 2. **Tear down**, each stack once every stack that depends on it is torn down: apply its saved
 *    settings plan (its deletion protection goes only now, right before its own destroy), then
 *    `terraform state rm` of what is kept, then `terraform destroy`. The checks are off the chain
 *    of destroys: each stack's plan waits for no other stack.
 */
export async function runTeardown(
  plan: TeardownPlan,
  terraform: StackTerraform,
  log: (line: string) => void = () => undefined,
  options: { readonly parallelism?: number } = {},
): Promise<TeardownResult> {
  const parallelism = Math.max(1, options.parallelism ?? 1);
  try {
    const checked = new Map<string, CheckedStack>();
    const checksOk = await inGraphOrder(plan.stacks, parallelism, () => true, async (stack) => {
      const result = await checkStack(stack, terraform, log);
      checked.set(stack.stack.name, result);
      return result.done?.ok !== false;
    });
    if (!checksOk) {
      const failed = plan.stacks.filter((s) => checked.get(s.stack.name)?.done?.ok === false);
      return { stacks: failed.map((s) => checked.get(s.stack.name)?.done as StackTeardownResult), notStarted: plan.stacks.filter((s) => !failed.includes(s)).map((s) => s.stack.name), ok: false };
    }
    const results = new Map<string, StackTeardownResult>();
    const names = new Set(plan.stacks.map((s) => s.stack.name));
    const dependants = (name: string) => plan.stacks.filter((s) => s.stack.dependencies.includes(name)).map((s) => s.stack.name).filter((n) => names.has(n));
    const ready = (stack: StackTeardownPlan) => dependants(stack.stack.name).every((name) => results.get(name)?.ok === true);
    const ok = await inGraphOrder(plan.stacks, parallelism, ready, async (stack) => {
      const result = await tearDownStack(stack, checked.get(stack.stack.name) as CheckedStack, terraform, log);
      results.set(stack.stack.name, result);
      return result.ok;
    });
    const done = plan.stacks.filter((s) => results.has(s.stack.name));
    return { stacks: done.map((s) => results.get(s.stack.name) as StackTeardownResult), notStarted: plan.stacks.filter((s) => !results.has(s.stack.name)).map((s) => s.stack.name), ok: ok && done.length === plan.stacks.length };
  } finally {
    for (const stack of plan.stacks) rmSync(join(stack.stack.dir, TEARDOWN_PLAN_FILE), { force: true });
  }
}

/**
 * Runs `task` for each stack once `ready` says so, in the plan's order, at most `parallelism` at a
 * time; starts nothing new after a task returned false. True when every task ran and returned true.
 */
async function inGraphOrder(stacks: readonly StackTeardownPlan[], parallelism: number, ready: (stack: StackTeardownPlan) => boolean, task: (stack: StackTeardownPlan) => Promise<boolean>): Promise<boolean> {
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failed = false;
  for (;;) {
    while (!failed && running.size < parallelism) {
      const next = stacks.find((stack) => !started.has(stack.stack.name) && ready(stack));
      if (!next) break;
      const name = next.stack.name;
      started.add(name);
      running.set(
        name,
        task(next).then((ok) => {
          running.delete(name);
          if (!ok) failed = true;
        }),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return !failed && started.size === stacks.length;
}

async function checkStack(plan: StackTeardownPlan, terraform: StackTerraform, log: (line: string) => void): Promise<CheckedStack> {
  const name = plan.stack.name;
  const steps: TeardownStep[] = [];
  const fail = (step: TeardownStep['step'], seconds: number, detail: string, ran: readonly TerraformResult[]): CheckedStack => {
    steps.push({ step, ok: false, seconds, ...cpuOf(...ran), detail });
    log(`${name}: ${step} FAILED: ${detail}`);
    return { inState: new Set(), changes: [], steps, done: { stack: name, steps, ok: false } };
  };
  const overrideFile = join(plan.stack.dir, TEARDOWN_OVERRIDE_FILE);
  rmSync(overrideFile, { force: true });
  rmSync(join(plan.stack.dir, TEARDOWN_PLAN_FILE), { force: true });
  if (!existsSync(join(plan.stack.dir, '.terraform'))) {
    const init = await terraform(plan, ['init', '-input=false']);
    if (!init.ok) return fail('init', init.seconds, lastLines(init.output), [init]);
    steps.push({ step: 'init', ok: true, seconds: init.seconds, ...cpuOf(init) });
  }
  const list = await terraform(plan, ['state', 'list']);
  // A local backend with no state file yet answers "No state file was found!" (exit 1): nothing deployed.
  const noStateYet = !list.ok && /No state file was found/.test(list.output);
  if (!list.ok && !noStateYet) return fail('init', list.seconds, `terraform state list: ${lastLines(list.output)}`, [list]);
  const inState = new Set((noStateYet ? '' : list.output).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('data.') && !line.includes('.data.')));
  if (inState.size === 0) {
    log(`${name}: nothing deployed, skipped`);
    return { inState, changes: [], steps, done: { stack: name, steps, skipped: 'its state holds no resources', ok: true } };
  }
  const changes = plan.changes.filter((change) => inState.has(change.address));
  if (changes.length > 0) {
    const ran: TerraformResult[] = [];
    writeFileSync(overrideFile, JSON.stringify(overrideOf(changes), null, 2));
    try {
      const targets = [...new Set(changes.map((c) => `-target=${c.address}`))];
      const planned = await terraform(plan, ['plan', '-input=false', '-lock-timeout=120s', `-out=${TEARDOWN_PLAN_FILE}`, ...targets]);
      ran.push(planned);
      if (!planned.ok) return fail('check', secondsOf(ran), `terraform plan: ${lastLines(planned.output)}`, ran);
      const shown = await terraform(plan, ['show', '-json', TEARDOWN_PLAN_FILE]);
      ran.push(shown);
      if (!shown.ok) return fail('check', secondsOf(ran), `terraform show: ${lastLines(shown.output)}`, ran);
      const problems = targetedPlanProblems(parsePlan(showJsonOf(shown.output, `${name}/${TEARDOWN_PLAN_FILE}`), `${name}/${TEARDOWN_PLAN_FILE}`), changes);
      if (problems.length > 0) return fail('check', secondsOf(ran), `the targeted plan changes more than the teardown settings, so nothing was applied: ${problems.join('; ')}. Deploy the stack's current configuration first (cdktf deploy ${name}), then run the teardown again.`, ran);
    } finally {
      rmSync(overrideFile, { force: true });
    }
    steps.push({ step: 'check', ok: true, seconds: secondsOf(ran), ...cpuOf(...ran), detail: `the targeted plan changes only ${changes.length} teardown setting${changes.length === 1 ? '' : 's'}` });
    log(`${name}: checked: the targeted plan changes only the teardown settings`);
  }
  return { inState, changes, steps };
}

async function tearDownStack(plan: StackTeardownPlan, checked: CheckedStack, terraform: StackTerraform, log: (line: string) => void): Promise<StackTeardownResult> {
  if (checked.done) return checked.done;
  const name = plan.stack.name;
  const steps: TeardownStep[] = [...checked.steps];
  const fail = (step: TeardownStep['step'], result: TerraformResult, detail: string): StackTeardownResult => {
    steps.push({ step, ok: false, seconds: result.seconds, ...cpuOf(result), detail });
    log(`${name}: ${step} FAILED: ${detail}`);
    return { stack: name, steps, ok: false };
  };
  const { changes, inState } = checked;
  if (changes.length > 0) {
    try {
      const applied = await terraform(plan, ['apply', '-input=false', '-lock-timeout=120s', TEARDOWN_PLAN_FILE]);
      if (!applied.ok) return fail('settings', applied, `terraform apply: ${lastLines(applied.output)}`);
      steps.push({ step: 'settings', ok: true, seconds: applied.seconds, ...cpuOf(applied), detail: changes.map((c) => `${c.address}.${c.attribute} = ${JSON.stringify(c.to)}`).join(', ') });
    } finally {
      rmSync(join(plan.stack.dir, TEARDOWN_PLAN_FILE), { force: true });
    }
    log(`${name}: ${changes.map((c) => `${c.address}.${c.attribute} = ${JSON.stringify(c.to)}`).join(', ')}`);
  }
  const kept = plan.kept.map((k) => k.address).filter((address) => inState.has(address));
  if (kept.length > 0) {
    const removed = await terraform(plan, ['state', 'rm', '-lock-timeout=120s', ...kept]);
    if (!removed.ok) return fail('keep', removed, lastLines(removed.output));
    steps.push({ step: 'keep', ok: true, seconds: removed.seconds, ...cpuOf(removed), detail: `kept ${kept.length}: ${kept.join(', ')}` });
    log(`${name}: kept ${kept.join(', ')} (removed from the state, left in AWS)`);
  }
  const destroyed = await terraform(plan, ['destroy', '-input=false', '-auto-approve', '-lock-timeout=120s']);
  if (!destroyed.ok) return fail('destroy', destroyed, lastLines(destroyed.output));
  steps.push({ step: 'destroy', ok: true, seconds: destroyed.seconds, ...cpuOf(destroyed) });
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

/**
 * The seconds of a step's terraform processes, summed: the time they ran, not the time between
 * them (where a `StackTerraform` that bounds the processes, as the rehearsal's does, may have
 * waited for a free slot).
 */
function secondsOf(ran: readonly TerraformResult[]): number {
  return ran.reduce((total, result) => total + result.seconds, 0);
}

function lastLines(output: string, count = 15): string {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

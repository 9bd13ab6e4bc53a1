import type { SynthesizedStackJson } from '@crdb-ory/core';
import { runTerraformAsync, terraformAvailable } from '@crdb-ory/terraform-harness';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StackTerraform, TEARDOWN_OVERRIDE_FILE, TEARDOWN_PLAN_FILE, type TeardownPlan, type TeardownStack, runTeardown } from '../src';

/**
 * The driver against the real terraform CLI on stacks of `terraform_data` (built into
 * Terraform: no provider, no cloud), local state. Its `input` updates in place, like the
 * settings a teardown turns off; `triggers_replace` replaces the resource.
 */
const STACK_JSON: SynthesizedStackJson = {
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  resource: {
    terraform_data: {
      guarded: { input: 'protected', triggers_replace: 'v1' },
      kept: { input: 'backups' },
      other: { input: 'anything' },
    },
  },
};

const root = mkdtempSync(join(tmpdir(), 'crdb-ory-teardown-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const calls: string[] = [];
/** The CPU each command measured, by `<stack>: <subcommand>`, as the rehearsal's runner measures it (`measureCpu`). */
const cpuOfCalls = new Map<string, number>();
/** The seconds each command ran, likewise. */
const secondsOfCalls = new Map<string, number>();
const terraform: StackTerraform = async (stack, args) => {
  // The rehearsal's runner may wait for a free slot before a command: here before each show.
  if (args[0] === 'show') await new Promise((resolve) => setTimeout(resolve, 400));
  calls.push(`${stack.stack.name}: ${args.filter((arg) => !arg.startsWith('-lock') && arg !== '-input=false').join(' ')}${existsSync(join(stack.stack.dir, TEARDOWN_OVERRIDE_FILE)) ? ' [override present]' : ''}`);
  const result = await runTerraformAsync(args, { cwd: stack.stack.dir, timeoutSeconds: 120, measureCpu: true });
  cpuOfCalls.set(`${stack.stack.name}: ${args[0] === 'state' ? args.slice(0, 2).join(' ') : args[0]}`, result.cpuSeconds ?? Number.NaN);
  secondsOfCalls.set(`${stack.stack.name}: ${args[0] === 'state' ? args.slice(0, 2).join(' ') : args[0]}`, result.seconds);
  return result;
};

function stackIn(name: string, dependencies: string[], json: SynthesizedStackJson = STACK_JSON): TeardownStack {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
  return { name, dependencies, json, dir };
}

async function deploy(stack: TeardownStack): Promise<void> {
  for (const args of [['init', '-input=false'], ['apply', '-input=false', '-auto-approve']]) {
    const result = await runTerraformAsync(args, { cwd: stack.dir, timeoutSeconds: 120 });
    expect(result.ok, result.output).toBe(true);
  }
}

function stateOf(stack: TeardownStack): string[] {
  const state = JSON.parse(readFileSync(join(stack.dir, 'terraform.tfstate'), 'utf8')) as { resources: Array<{ name: string }> };
  return state.resources.map((r) => r.name);
}

describe.skipIf(!terraformAvailable())('runTeardown with the real terraform CLI', () => {
  let upstream: TeardownStack;
  let downstream: TeardownStack;
  let never: TeardownStack;
  beforeAll(async () => {
    upstream = stackIn('upstream', []);
    downstream = stackIn('downstream', ['upstream']);
    never = stackIn('never-deployed', ['upstream']);
    await deploy(upstream);
    await deploy(downstream);
  }, 120_000);

  it('applies the settings alone (override present only then), keeps, destroys, dependants first; skips what was never deployed', async () => {
    const plan: TeardownPlan = {
      options: { deleteData: false },
      leftovers: [],
      stacks: [never, downstream, upstream].map((stack) => ({
        stack,
        changes: stack === upstream ? [] : [{ address: 'terraform_data.guarded', attribute: 'input', from: 'protected', to: 'unprotected', why: 'test' }],
        kept: [{ address: 'terraform_data.kept', why: 'test' }],
        destroyed: ['terraform_data.guarded', 'terraform_data.other'],
      })),
    };
    // Left by an interrupted run: an override of a resource the stack does not have breaks every terraform command.
    writeFileSync(join(upstream.dir, TEARDOWN_OVERRIDE_FILE), '{"resource": {"terraform_data": {"ghost": {"input": "x"}}}}');
    const result = await runTeardown(plan, terraform);
    expect(result.ok, JSON.stringify(result.stacks, null, 2)).toBe(true);
    expect(result.stacks.map((s) => [s.stack, s.skipped ?? s.steps.map((step) => step.step).join(',')])).toEqual([
      ['never-deployed', 'its state holds no resources'],
      ['downstream', 'check,settings,keep,destroy'],
      ['upstream', 'keep,destroy'],
    ]);
    // The saved plan carries the override's configuration: the apply needs no override file.
    expect(calls.filter((call) => call.startsWith('downstream'))).toEqual([
      'downstream: state list',
      'downstream: plan -out=teardown.tfplan -target=terraform_data.guarded [override present]',
      'downstream: show -json teardown.tfplan [override present]',
      'downstream: apply teardown.tfplan',
      'downstream: state rm terraform_data.kept',
      'downstream: destroy -auto-approve',
    ]);
    // Every stack is checked (its state listed, its settings planned) before the first destroy.
    const firstDestroy = calls.findIndex((call) => call.includes(': destroy'));
    expect(calls.slice(0, firstDestroy).filter((call) => call.includes(': state list')).sort()).toEqual(['downstream: state list', 'never-deployed: state list', 'upstream: state list']);
    expect(calls.findIndex((call) => call.startsWith('downstream: plan'))).toBeLessThan(firstDestroy);
    expect(calls[0]).toBe('never-deployed: init');
    // Each step reports the CPU of its own commands: the check its targeted plan and show, the settings the apply.
    const downstreamSteps = Object.fromEntries(result.stacks.find((s) => s.stack === 'downstream')?.steps.map((step) => [step.step, step.cpuSeconds]) ?? []);
    const cpu = (command: string) => cpuOfCalls.get(`downstream: ${command}`) ?? Number.NaN;
    expect(downstreamSteps['check']).toBeCloseTo(cpu('plan') + cpu('show'), 6);
    // And the seconds its commands ran, not the wait for a slot between them.
    const checkSeconds = result.stacks.find((s) => s.stack === 'downstream')?.steps.find((step) => step.step === 'check')?.seconds;
    expect(checkSeconds).toBeCloseTo((secondsOfCalls.get('downstream: plan') ?? Number.NaN) + (secondsOfCalls.get('downstream: show') ?? Number.NaN), 6);
    expect(downstreamSteps['settings']).toBe(cpu('apply'));
    expect(downstreamSteps['keep']).toBe(cpu('state rm'));
    expect(downstreamSteps['destroy']).toBe(cpu('destroy'));
    expect(cpu('plan')).toBeGreaterThan(0);
    // The destroy saw the applied setting in the state; the kept resource left the state; no override file stays.
    for (const stack of [downstream, upstream]) {
      expect(stateOf(stack)).toEqual([]);
      expect(existsSync(join(stack.dir, TEARDOWN_OVERRIDE_FILE))).toBe(false);
    }
  }, 180_000);

  it('refuses a targeted apply whose plan changes more than the teardown settings, and stops there, before any stack is destroyed', async () => {
    const drifted = stackIn('drifted', []);
    const first = stackIn('first-in-order', []);
    await deploy(drifted);
    await deploy(first);
    const plan: TeardownPlan = {
      options: { deleteData: false },
      leftovers: [],
      stacks: [
        // First in the order: without the checks before any destroy, it would be destroyed before the refusal.
        { stack: first, changes: [], kept: [], destroyed: ['terraform_data.guarded', 'terraform_data.kept', 'terraform_data.other'] },
        // triggers_replace forces a replacement: never part of a teardown's settings change.
        { stack: drifted, changes: [{ address: 'terraform_data.guarded', attribute: 'triggers_replace', from: 'v1', to: 'v2', why: 'test' }], kept: [], destroyed: [] },
        { stack: stackIn('after-it', []), changes: [], kept: [], destroyed: [] },
      ],
    };
    const result = await runTeardown(plan, terraform);
    expect(result.ok).toBe(false);
    expect(result.notStarted).toEqual(['first-in-order', 'after-it']);
    expect(stateOf(first).sort()).toEqual(['guarded', 'kept', 'other']);
    expect(existsSync(join(drifted.dir, TEARDOWN_PLAN_FILE))).toBe(false);
    expect(result.stacks[0]?.steps.at(-1)?.detail).toMatch(/nothing was applied: terraform_data\.guarded would replace, not update in place.*cdktf deploy drifted/s);
    expect(stateOf(drifted).sort()).toEqual(['guarded', 'kept', 'other']);
    expect(existsSync(join(drifted.dir, TEARDOWN_OVERRIDE_FILE))).toBe(false);
  }, 180_000);
});

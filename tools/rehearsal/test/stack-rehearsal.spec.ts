import { describe, expect, it } from 'vitest';
import type { TerraformResult } from '@crdb-ory/terraform-harness';
import { type StackRehearsal, createdResources, deployStack, replanStack } from '../src';

const SETUP = { cliConfigFile: '/nonexistent/terraform.tfrc', env: {} };
const rehearsal = (): StackRehearsal => ({ environment: 'crdb-ory', name: 'network', mode: 'applied', dir: '/nonexistent/network', steps: [], adaptations: [] });
const answer = (exitCode: number, output = ''): TerraformResult => ({ ok: exitCode === 0, exitCode, output, seconds: 1 });
const APPLIED = 'aws_vpc.x: Creation complete after 1s [id=vpc-1]\n\nApply complete! Resources: 81 added, 0 changed, 0 destroyed.\n';

/** A terraform stand-in that records each command and answers from `answers` by its first argument (in order for repeats). */
function terraformAnswering(answers: Record<string, TerraformResult[]>) {
  const commands: string[] = [];
  const run = (args: readonly string[]): Promise<TerraformResult> => {
    commands.push(args.join(' '));
    const key = args[0] === 'state' ? `state ${args[1]}` : (args[0] ?? '');
    const next = answers[key]?.shift();
    if (!next) throw new Error(`unexpected terraform ${args.join(' ')}`);
    return Promise.resolve(next);
  };
  return { commands, run };
}

describe('deployStack and replanStack: three terraform processes per stack', () => {
  it('runs init, one apply that plans and applies, and the re-plan; the resources are the apply\'s own count, with no state list', async () => {
    const stack = rehearsal();
    const terraform = terraformAnswering({ init: [answer(0)], apply: [answer(0, APPLIED)], plan: [answer(0, 'No changes.')] });
    expect(await deployStack(stack, SETUP, undefined, terraform.run)).toBe(true);
    expect(terraform.commands).toEqual(['init -input=false', 'apply -input=false -auto-approve']);
    expect(await replanStack(stack, SETUP, terraform.run)).toBe(true);
    expect(terraform.commands).toEqual(['init -input=false', 'apply -input=false -auto-approve', 'plan -input=false -detailed-exitcode -out=replan.tfplan']);
    expect(stack.steps.map((step) => step.step)).toEqual(['init', 'apply', 're-plan']);
    expect(stack.resources).toBe(81);
    expect(stack.drift).toEqual([]);
  });

  it('lists the state when the apply changed or destroyed anything (its count is then not the state\'s)', async () => {
    const stack = rehearsal();
    const list = 'aws_vpc.x\naws_subnet.y[0]\ndata.aws_region.current\n';
    const terraform = terraformAnswering({ init: [answer(0)], apply: [answer(0, 'Apply complete! Resources: 2 added, 1 changed, 0 destroyed.')], 'state list': [answer(0, list)] });
    expect(await deployStack(stack, SETUP, undefined, terraform.run)).toBe(true);
    expect(terraform.commands).toContain('state list');
    expect(stack.resources).toBe(2);
  });

  it('hands an apply stopped at a plan-time quota check to the operator\'s requests, then applies again', async () => {
    const stack = rehearsal();
    const stopped = answer(1, 'Error: Resource postcondition failed ... --quota-code L-0263D0A3 --desired-value 6); then plan again.');
    const terraform = terraformAnswering({ init: [answer(0)], apply: [stopped, answer(0, APPLIED)] });
    const requests = [{ step: 'operator: request L-0263D0A3 increase to 6', ok: true, seconds: 1 }];
    expect(await deployStack(stack, SETUP, () => Promise.resolve(requests), terraform.run)).toBe(true);
    expect(terraform.commands.filter((command) => command.startsWith('apply'))).toHaveLength(2);
    expect(stack.steps.map((step) => step.step)).toEqual(['init', 'plan (stops at a quota the account shares)', 'operator: request L-0263D0A3 increase to 6', 'apply']);
  });

  it('fails a re-plan that would change anything, naming the changes as the stack\'s drift, and one that errs without claiming none', async () => {
    const drifting = rehearsal();
    const shown = JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'aws_vpc.x', mode: 'managed', type: 'aws_vpc', name: 'x', change: { actions: ['update'] } }] });
    const terraform = terraformAnswering({ plan: [answer(2, 'Plan: 0 to add, 1 to change, 0 to destroy.')], show: [answer(0, shown)] });
    expect(await replanStack(drifting, SETUP, terraform.run)).toBe(false);
    expect(drifting.drift).toEqual(['aws_vpc.x (update)']);
    expect(drifting.steps.at(-1)).toMatchObject({ step: 're-plan', ok: false, detail: 'not stable: a second plan would change aws_vpc.x (update)' });
    const failing = rehearsal();
    expect(await replanStack(failing, SETUP, terraformAnswering({ plan: [answer(1, 'Error: reading VPC: boom')] }).run)).toBe(false);
    expect(failing.drift).toBeUndefined();
    expect(failing.steps.at(-1)).toMatchObject({ step: 're-plan', ok: false });
  });

  it('stops at a failed apply, before any re-plan', async () => {
    const stack = rehearsal();
    const terraform = terraformAnswering({ init: [answer(0)], apply: [answer(1, 'Error: creating EC2 VPC: boom')] });
    expect(await deployStack(stack, SETUP, undefined, terraform.run)).toBe(false);
    expect(stack.steps.at(-1)).toMatchObject({ step: 'apply', ok: false, detail: 'Error: creating EC2 VPC: boom' });
    expect(terraform.commands).toHaveLength(2);
  });
});

describe('createdResources', () => {
  it('reads "N added" of an apply that changed and destroyed nothing', () => {
    expect(createdResources(APPLIED)).toBe(81);
  });

  it('gives no count for an apply that changed or destroyed anything, or printed no summary', () => {
    expect(createdResources('Apply complete! Resources: 3 added, 0 changed, 1 destroyed.')).toBeUndefined();
    expect(createdResources('Apply complete! Resources: 3 added, 2 changed, 0 destroyed.')).toBeUndefined();
    expect(createdResources('Error: boom')).toBeUndefined();
  });
});

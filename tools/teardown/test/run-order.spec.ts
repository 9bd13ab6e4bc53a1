import { describe, expect, it } from 'vitest';
import { type StackTerraform, type TeardownPlan, runTeardown } from '../src';

/**
 * The driver's scheduling, with a terraform stand-in that answers like the CLI for a stack holding
 * one resource (state list, destroy) and records when each destroy starts and ends.
 */
function fakeTerraform(events: string[], failing = ''): StackTerraform {
  return async (stack, args) => {
    const name = stack.stack.name;
    if (args[0] === 'init') return { ok: true, exitCode: 0, output: '', seconds: 0 };
    if (args[0] === 'state') return { ok: true, exitCode: 0, output: 'terraform_data.x\n', seconds: 0 };
    events.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    events.push(`end ${name}`);
    return name === failing ? { ok: false, exitCode: 1, output: 'Error: boom', seconds: 0 } : { ok: true, exitCode: 0, output: '', seconds: 0 };
  };
}

function plan(): TeardownPlan {
  const stack = (name: string, ...dependencies: string[]) => ({ stack: { name, dependencies, json: {}, dir: '/nonexistent/.terraform/..' }, changes: [], kept: [], destroyed: [] });
  // network <- pki, backup <- cockroach: pki and backup are independent of each other.
  return { options: { deleteData: false }, leftovers: [], stacks: [stack('cockroach', 'pki', 'backup', 'network'), stack('pki', 'network'), stack('backup', 'network'), stack('network')] };
}

describe('runTeardown scheduling', () => {
  it('destroys independent stacks together, and a stack only after every stack that depends on it', async () => {
    const events: string[] = [];
    const result = await runTeardown(plan(), fakeTerraform(events), () => undefined, { parallelism: 2 });
    expect(result.ok).toBe(true);
    expect(events.slice(0, 2)).toEqual(['start cockroach', 'end cockroach']);
    expect(events.slice(2, 4).sort()).toEqual(['start backup', 'start pki']);
    expect(events.slice(-2)).toEqual(['start network', 'end network']);
  });

  it('starts nothing new after a failure, and names what was not started', async () => {
    const events: string[] = [];
    const result = await runTeardown(plan(), fakeTerraform(events, 'pki'), () => undefined, { parallelism: 2 });
    expect(result.ok).toBe(false);
    expect(result.notStarted).toEqual(['network']);
    expect(events).not.toContain('start network');
  });
});

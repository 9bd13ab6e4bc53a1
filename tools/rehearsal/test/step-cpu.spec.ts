import { describe, expect, it } from 'vitest';
import { type RehearsalResult, type StackRehearsal, ownSteps, rehearsalVerdict, renderRehearsalReport } from '../src';
import { commandType } from '../src/terraform-steps';

const stack = (name: string, environment = 'staging'): StackRehearsal => ({ environment, name, mode: 'applied', dir: `/scratch/${name}`, steps: [], resources: 1, drift: [], adaptations: [] });
const deploySteps = [
  { step: 'init', ok: true, seconds: 1.5, cpuSeconds: 0.6 },
  { step: 'apply', ok: true, seconds: 80, cpuSeconds: 9.5 },
  { step: 're-plan', ok: true, seconds: 20, cpuSeconds: 6.5 },
];
const teardownSteps = [
  { step: 'teardown settings', ok: true, seconds: 30, cpuSeconds: 12 },
  { step: 'destroy', ok: true, seconds: 60, cpuSeconds: 11 },
];
const result: RehearsalResult = {
  motoVersion: '5.2.1',
  fixes: [],
  synthesisSeconds: 1,
  environments: [{ name: 'staging', description: 'the second', deleteData: true }],
  stacks: [stack('state')],
  timings: [
    { task: { id: 'staging deploy state', phase: 'deploy', kind: 'deploy', environment: 'staging', stack: 'state' }, started: 0, ended: 110, ownSeconds: 101.5, ownCpuSeconds: 16.6, steps: deploySteps },
    { task: { id: 'staging teardown', phase: 'teardown', kind: 'teardown', environment: 'staging', after: ['staging deploy state'] }, started: 110, ended: 200, ownSeconds: 90, ownCpuSeconds: 23, steps: teardownSteps },
  ],
  commands: [
    { command: 'init', ok: true, seconds: 1.5, cpuSeconds: 0.6 },
    { command: 'apply', ok: true, seconds: 80, cpuSeconds: 9.5 },
    { command: 'plan', ok: true, seconds: 20, cpuSeconds: 6.5 },
    { command: 'state list', ok: true, seconds: 0.5, cpuSeconds: 0.7 },
    { command: 'plan', ok: true, seconds: 10, cpuSeconds: 5 },
    { command: 'show -json', ok: true, seconds: 5, cpuSeconds: 2 },
    { command: 'apply', ok: true, seconds: 15, cpuSeconds: 5 },
    { command: 'destroy', ok: true, seconds: 60, cpuSeconds: 11 },
  ],
  scenarios: [],
  seconds: 200,
};

describe('where the longest path spends its time: CPU or waiting', () => {
  it('splits each step on the longest path into the CPU its terraform processes used and the time they waited', () => {
    const report = renderRehearsalReport(result, { config: 'c.json' });
    expect(report).toContain('The longest path step by step: of its 192 s, its terraform processes (with their providers) used 40 CPU-s; the other 152 s they waited (for the provider\'s waiters and the emulator\'s answers, or for a core).');
    expect(report).toContain('| staging deploy state | apply | 80.0 | 9.5 | 70.5 |');
    expect(report).toContain('| staging teardown | destroy | 60.0 | 11.0 | 49.0 |');
  });

  it('says how much CPU the longest path took in the verdict', () => {
    expect(rehearsalVerdict(result)).toMatch(/; longest path 192 s, 40 CPU-s \(staging deploy state → staging teardown\)/);
  });

  it('counts every terraform process by command, with its wall time and CPU', () => {
    const report = renderRehearsalReport(result, { config: 'c.json' });
    expect(report).toContain('| apply | 2 | 95 | 14.5 | 7.25 |');
    expect(report).toContain('| plan | 2 | 30 | 11.5 | 5.75 |');
    expect(report).toContain('| state list | 1 | 1 | 0.7 | 0.70 |');
    expect(report).toContain('| all | 8 | 192 | 40.3 | 5.04 |');
  });

  it('names each command by its type, and gives each of the teardown\'s commands to the step it belongs to', () => {
    expect(['init -input=false', 'init -input=false -migrate-state -force-copy', 'apply -auto-approve', 'plan -out=x', 'show -json x', 'state list', 'state rm a b', 'destroy -auto-approve'].map((line) => commandType(line.split(' ')))).toEqual([
      'init',
      'init -migrate-state',
      'apply',
      'plan',
      'show -json',
      'state list',
      'state rm',
      'destroy',
    ]);
  });

  it('gives a teardown its longest chain of stacks as its own steps, each named by its stack', () => {
    const withSteps = (name: string, dependencies: string[], destroy: number): StackRehearsal => ({ ...stack(name), dependencies, steps: [...deploySteps, { step: 'teardown settings', ok: true, seconds: 10, cpuSeconds: 5 }, { step: 'destroy', ok: true, seconds: destroy, cpuSeconds: 4 }] });
    const stacks = [withSteps('state', [], 5), withSteps('network', ['state'], 50), withSteps('eks', ['state', 'network'], 20), withSteps('cockroach', ['state', 'network'], 90)];
    const steps = ownSteps({ id: 'staging teardown', phase: 'teardown', kind: 'teardown', environment: 'staging' }, { stacks, stepsBefore: new Map(stacks.map((candidate) => [candidate, 3])), moves: [], scenarios: [] });
    expect(steps.map((step) => `${step.step} ${step.seconds}`)).toEqual(['cockroach: teardown settings 10', 'cockroach: destroy 90', 'network: teardown settings 10', 'network: destroy 50', 'state: teardown settings 10', 'state: destroy 5']);
  });

  it('puts the teardown checks, which all run before the first destroy, off the chain: the longest one first, then the chain without them', () => {
    const withSteps = (name: string, dependencies: string[], check: number, destroy: number): StackRehearsal => ({
      ...stack(name),
      dependencies,
      steps: [...deploySteps, ...(check > 0 ? [{ step: 'teardown check', ok: true, seconds: check, cpuSeconds: 8 }] : []), { step: 'destroy', ok: true, seconds: destroy, cpuSeconds: 4 }],
    });
    // network's 100 s check is the longest: it comes first, and no check is counted in the chain of destroys.
    const stacks = [withSteps('state', [], 0, 5), withSteps('network', ['state'], 100, 10), withSteps('cockroach', ['state', 'network'], 30, 90)];
    const steps = ownSteps({ id: 'staging teardown', phase: 'teardown', kind: 'teardown', environment: 'staging' }, { stacks, stepsBefore: new Map(stacks.map((candidate) => [candidate, 3])), moves: [], scenarios: [] });
    expect(steps.map((step) => `${step.step} ${step.seconds}`)).toEqual(['network: teardown check 100', 'cockroach: destroy 90', 'network: destroy 10', 'state: destroy 5']);
  });
});

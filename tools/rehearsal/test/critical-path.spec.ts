import { describe, expect, it } from 'vitest';
import { type TimedStack, criticalPaths, longestPath } from '../src';

const timed = (name: string, dependencies: string[], deploy: number, destroy: number, environment = 'crdb-ory'): TimedStack => ({
  environment,
  name,
  dependencies,
  steps: [
    { step: 'init', ok: true, seconds: 1 },
    { step: 'apply', ok: true, seconds: deploy - 1 },
    { step: 'teardown settings', ok: true, seconds: 1 },
    { step: 'destroy', ok: true, seconds: destroy - 1 },
  ],
});

// The rehearsed graph: network on state; the pki, the backups and eks on network; cockroach on all three but eks.
const GRAPH = [
  timed('state', [], 60, 10),
  timed('network', ['state'], 50, 40),
  timed('cockroach-pki', ['state', 'network'], 20, 5),
  timed('cockroach-backup', ['state', 'network'], 65, 30),
  timed('eks', ['state', 'network'], 25, 20),
  timed('cockroach', ['state', 'network', 'cockroach-pki', 'cockroach-backup'], 85, 15),
  timed('state', [], 7, 3, 'staging'),
];

describe('critical paths along the stack graph', () => {
  it('deploy: each stack waits for the longest of the stacks it depends on, in its own environment only', () => {
    const paths = criticalPaths(GRAPH, 'deploy');
    expect(paths.map((path) => [path.environment, path.stack, path.ownSeconds, path.seconds, path.path.join(' > ')])).toEqual([
      ['crdb-ory', 'state', 60, 60, 'state'],
      ['crdb-ory', 'network', 50, 110, 'state > network'],
      ['crdb-ory', 'cockroach-pki', 20, 130, 'state > network > cockroach-pki'],
      ['crdb-ory', 'cockroach-backup', 65, 175, 'state > network > cockroach-backup'],
      ['crdb-ory', 'eks', 25, 135, 'state > network > eks'],
      ['crdb-ory', 'cockroach', 85, 260, 'state > network > cockroach-backup > cockroach'],
      ['staging', 'state', 7, 7, 'state'],
    ]);
    expect(longestPath(paths)).toMatchObject({ environment: 'crdb-ory', stack: 'cockroach', seconds: 260 });
  });

  it('deploy: the stacks after a stack wait for its apply, not its re-plan, which ends its own path', () => {
    const withReplan = (stack: TimedStack, seconds: number): TimedStack => ({ ...stack, steps: [...stack.steps.slice(0, 2), { step: 're-plan', ok: true, seconds }, ...stack.steps.slice(2)] });
    const paths = criticalPaths([withReplan(timed('state', [], 60, 10), 10), withReplan(timed('network', ['state'], 50, 40), 20)], 'deploy');
    expect(paths.map((path) => [path.stack, path.ownSeconds, path.seconds, path.path.join(' > ')])).toEqual([
      ['state', 70, 70, 'state'],
      ['network', 70, 130, 'state > network'],
    ]);
  });

  it('teardown: each stack waits for the stacks that depend on it, counting only the teardown steps', () => {
    const paths = criticalPaths(GRAPH, 'teardown');
    const of = (stack: string) => paths.find((path) => path.environment === 'crdb-ory' && path.stack === stack);
    expect(of('cockroach')).toMatchObject({ ownSeconds: 15, seconds: 15, path: ['cockroach'] });
    expect(of('cockroach-backup')).toMatchObject({ ownSeconds: 30, seconds: 45, path: ['cockroach', 'cockroach-backup'] });
    expect(of('network')).toMatchObject({ ownSeconds: 40, seconds: 85, path: ['cockroach', 'cockroach-backup', 'network'] });
    expect(of('state')).toMatchObject({ seconds: 95, path: ['cockroach', 'cockroach-backup', 'network', 'state'] });
  });

  it('refuses a cycle, naming it', () => {
    expect(() => criticalPaths([timed('a', ['b'], 2, 2), timed('b', ['a'], 2, 2)], 'deploy')).toThrow('the stacks depend on each other in a cycle: crdb-ory/a -> crdb-ory/b -> crdb-ory/a');
    expect(longestPath([])).toBeUndefined();
  });
});

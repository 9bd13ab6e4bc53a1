import { describe, expect, it } from 'vitest';
import { limiter, runSchedule } from '../src';
import { STACK_GRAPH } from './stack-graph';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const asTasks = (nodes: typeof STACK_GRAPH) => nodes.map((node) => ({ id: node.name, needs: node.dependencies }));

/** Runs the tasks, recording when each starts and ends and how many run at once. */
async function record(tasks: ReadonlyArray<{ id: string; needs?: string[]; after?: string[] }>, fails: readonly string[] = [], size = 10) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const slot = limiter(size);
  const outcomes = await runSchedule(tasks, (task) =>
    slot(async () => {
      events.push(`start ${task.id}`);
      most = Math.max(most, ++running);
      await tick();
      running--;
      events.push(`end ${task.id}`);
      if (fails.includes(`throw ${task.id}`)) throw new Error('boom');
      return !fails.includes(task.id);
    }),
  );
  return { events, outcomes: Object.fromEntries(outcomes), most };
}

describe('running a schedule along the stack graph', () => {
  it('starts each stack only after every stack it needs ended, and independent stacks together', async () => {
    const { events, outcomes } = await record(asTasks(STACK_GRAPH));
    expect(Object.values(outcomes)).toEqual([true, true, true, true, true, true]);
    for (const node of STACK_GRAPH) {
      for (const dependency of node.dependencies) expect(events.indexOf(`end ${dependency}`)).toBeLessThan(events.indexOf(`start ${node.name}`));
    }
    // After network, the pki, the backups and eks start together; cockroach waits for the first two.
    expect(events.slice(0, 7)).toEqual(['start state', 'end state', 'start network', 'end network', 'start cockroach-pki', 'start cockroach-backup', 'start eks']);
  });

  it('never starts a task whose needs failed or threw, and still runs the rest', async () => {
    const { events, outcomes } = await record(asTasks(STACK_GRAPH), ['cockroach-backup', 'throw eks']);
    expect(outcomes).toEqual({ state: true, network: true, 'cockroach-pki': true, 'cockroach-backup': false, cockroach: undefined, eks: false });
    expect(events).not.toContain('start cockroach');
  });

  it('runs a task `after` others once they ended, whatever their outcome (a teardown after a failed deploy)', async () => {
    const tasks = [...asTasks(STACK_GRAPH), { id: 'teardown', after: STACK_GRAPH.map((node) => node.name) }];
    const { events, outcomes } = await record(tasks, ['network']);
    expect(outcomes['teardown']).toBe(true);
    expect(outcomes['cockroach']).toBeUndefined();
    expect(events.slice(-2)).toEqual(['start teardown', 'end teardown']);
  });

  it('keeps to the limiter: at most that many at once', async () => {
    expect((await record(asTasks(STACK_GRAPH), [], 1)).most).toBe(1);
    expect((await record(asTasks(STACK_GRAPH), [], 2)).most).toBe(2);
  });

  it('hands a freed slot to the tasks waiting in turn before those that wait last, each kind in order', async () => {
    const slot = limiter(1);
    const started: string[] = [];
    const run = (id: string, order?: 'in turn' | 'last') => slot(async () => {
      started.push(id);
      await tick();
    }, order);
    await Promise.all([run('first'), run('re-plan a', 'last'), run('deploy b'), run('re-plan c', 'last'), run('deploy d', 'in turn')]);
    expect(started).toEqual(['first', 'deploy b', 'deploy d', 're-plan a', 're-plan c']);
  });

  it('refuses a cycle and a task it does not know before running anything', async () => {
    let ran = 0;
    const cycle = [
      { id: 'a', needs: ['b'] },
      { id: 'b', after: ['a'] },
    ];
    await expect(runSchedule(cycle, async () => ++ran > 0)).rejects.toThrow('the stacks depend on each other in a cycle: a -> b -> a');
    await expect(runSchedule([{ id: 'a' }, { id: 'b', needs: ['c'] }], async () => ++ran > 0)).rejects.toThrow('b waits for "c", which is not a task of the schedule');
    expect(ran).toBe(0);
  });
});

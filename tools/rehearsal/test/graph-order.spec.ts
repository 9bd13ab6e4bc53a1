import { describe, expect, it } from 'vitest';
import { inDependencyOrder, limiter } from '../src';

// The stack graph of the app's manifest.json with an S3 backend (apps/us-east-1/test/stack-graph.spec.ts).
const GRAPH = [
  { name: 'state', dependencies: [] },
  { name: 'network', dependencies: ['state'] },
  { name: 'cockroach-pki', dependencies: ['state', 'network'] },
  { name: 'cockroach-backup', dependencies: ['state', 'network'] },
  { name: 'cockroach', dependencies: ['state', 'network', 'cockroach-pki', 'cockroach-backup'] },
  { name: 'eks', dependencies: ['state', 'network'] },
];

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Runs the graph, recording when each node starts and ends and how many run at once. */
async function record(nodes: typeof GRAPH, fails: readonly string[] = [], size = 10) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const slot = limiter(size);
  const results = await inDependencyOrder(nodes, (node) =>
    slot(async () => {
      events.push(`start ${node.name}`);
      most = Math.max(most, ++running);
      await tick();
      running--;
      events.push(`end ${node.name}`);
      return !fails.includes(node.name);
    }),
  );
  return { events, results, most };
}

describe('deploying in the stack graph order', () => {
  it('starts each stack only after every stack it depends on ended, and independent stacks together', async () => {
    const { events, results } = await record(GRAPH);
    expect(results).toEqual([true, true, true, true, true, true]);
    for (const node of GRAPH) {
      for (const dependency of node.dependencies) expect(events.indexOf(`end ${dependency}`)).toBeLessThan(events.indexOf(`start ${node.name}`));
    }
    // After network, the pki, the backups and eks start together; cockroach waits for the first two.
    expect(events.slice(0, 7)).toEqual(['start state', 'end state', 'start network', 'end network', 'start cockroach-pki', 'start cockroach-backup', 'start eks']);
  });

  it('never starts a stack whose upstream failed, and still runs the rest', async () => {
    const { events, results } = await record(GRAPH, ['cockroach-backup']);
    expect(results).toEqual([true, true, true, false, undefined, true]);
    expect(events).not.toContain('start cockroach');
  });

  it('keeps to the limiter: at most that many at once', async () => {
    expect((await record(GRAPH, [], 1)).most).toBe(1);
    expect((await record(GRAPH, [], 2)).most).toBe(2);
  });

  it('ignores dependencies outside the list and refuses a cycle before running anything', async () => {
    expect((await record([{ name: 'eks', dependencies: ['network'] }])).results).toEqual([true]);
    const cycle = [
      { name: 'a', dependencies: ['b'] },
      { name: 'b', dependencies: ['a'] },
    ];
    await expect(inDependencyOrder(cycle, async () => true)).rejects.toThrow('the stacks depend on each other in a cycle: a -> b -> a');
  });
});

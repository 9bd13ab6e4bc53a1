/** A stack and the stacks it depends on (its `manifest.json` entry's `dependencies`). */
export interface GraphNode {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/**
 * Runs `run` on every node once every node it depends on has run and succeeded, as
 * `cdktf deploy '*'` does: independent nodes start together (bound them with a `limiter`), a node
 * whose upstream failed is never started. Dependencies on names outside `nodes` are ignored (they
 * are not deployed here). Resolves, in the given order, to each node's result: `true`, `false`
 * (failed), or `undefined` (not started). Throws on a cycle before running anything.
 */
export async function inDependencyOrder<T extends GraphNode>(nodes: readonly T[], run: (node: T) => Promise<boolean>): Promise<Array<boolean | undefined>> {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const upstream = (node: T) => node.dependencies.flatMap((name) => byName.get(name) ?? []);
  assertAcyclic(nodes, upstream);
  const outcomes = new Map<string, Promise<boolean | undefined>>();
  const outcome = (node: T): Promise<boolean | undefined> => {
    const known = outcomes.get(node.name);
    if (known) return known;
    const started = Promise.all(upstream(node).map(outcome)).then((ready) => (ready.every((ok) => ok === true) ? run(node) : undefined));
    outcomes.set(node.name, started);
    return started;
  };
  return Promise.all(nodes.map(outcome));
}

function assertAcyclic<T extends GraphNode>(nodes: readonly T[], upstream: (node: T) => T[]): void {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (node: T, path: string[]): void => {
    if (done.has(node.name)) return;
    if (visiting.has(node.name)) throw new Error(`the stacks depend on each other in a cycle: ${[...path, node.name].join(' -> ')}`);
    visiting.add(node.name);
    for (const next of upstream(node)) visit(next, [...path, node.name]);
    visiting.delete(node.name);
    done.add(node.name);
  };
  for (const node of nodes) visit(node, []);
}

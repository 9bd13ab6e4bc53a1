/** A stack and the stacks it depends on (the manifest's `dependencies`). */
export interface StackNode {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/**
 * The order to destroy `stacks` in: every stack after all stacks that depend on it (dependants
 * first), as `cdktf destroy '*'` does; ties keep the given order. Dependencies on stacks outside
 * the list are ignored (they are not torn down here). Throws on a cycle.
 */
export function destroyOrder<T extends StackNode>(stacks: readonly T[]): T[] {
  const names = new Set(stacks.map((stack) => stack.name));
  const dependants = new Map(stacks.map((stack) => [stack.name, stacks.filter((other) => other.dependencies.includes(stack.name)).map((other) => other.name)]));
  const order: T[] = [];
  const done = new Set<string>();
  while (order.length < stacks.length) {
    const next = stacks.find((stack) => !done.has(stack.name) && (dependants.get(stack.name) ?? []).every((name) => done.has(name) || !names.has(name)));
    if (!next) throw new Error(`the stacks depend on each other in a cycle: ${stacks.filter((stack) => !done.has(stack.name)).map((stack) => stack.name).join(', ')}`);
    order.push(next);
    done.add(next.name);
  }
  return order;
}

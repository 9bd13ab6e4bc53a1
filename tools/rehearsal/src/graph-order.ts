/** A stack and the stacks it depends on (its `manifest.json` entry's `dependencies`). */
export interface GraphNode {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** One task of a schedule and what it waits for. */
export interface ScheduledTask {
  readonly id: string;
  /** Tasks that must have succeeded first: when one failed or never started, this one never starts. @default none */
  readonly needs?: readonly string[];
  /** Tasks that must have ended first, whatever their outcome (a teardown runs whatever failed before). @default none */
  readonly after?: readonly string[];
}

/** How a task ended: `true` done, `false` failed (or threw), `undefined` never started (something it needs did not succeed). */
export type TaskOutcome = boolean | undefined;

/**
 * Runs every task as soon as what it waits for has ended: each task once every task it `needs`
 * succeeded and every task it runs `after` ended, independent tasks at the same time (bound the
 * terraform processes with a `limiter`). A task that throws counts as failed. Throws before running
 * anything on a cycle or on a task it does not know. Resolves to each task's outcome, by id. With
 * tasks that `need` the stacks a stack depends on, this is `cdktf deploy '*'`'s order.
 */
export async function runSchedule<T extends ScheduledTask>(tasks: readonly T[], run: (task: T) => Promise<boolean>): Promise<Map<string, TaskOutcome>> {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const known = (id: string, by: string): T => {
    const task = byId.get(id);
    if (!task) throw new Error(`${by} waits for "${id}", which is not a task of the schedule`);
    return task;
  };
  const needs = (task: T) => (task.needs ?? []).map((id) => known(id, task.id));
  const after = (task: T) => (task.after ?? []).map((id) => known(id, task.id));
  assertAcyclic(tasks, (task) => task.id, (task) => [...needs(task), ...after(task)]);
  const outcomes = new Map<string, Promise<TaskOutcome>>();
  const outcome = (task: T): Promise<TaskOutcome> => {
    const started = outcomes.get(task.id);
    if (started) return started;
    const ended = Promise.all([Promise.all(needs(task).map(outcome)), Promise.all(after(task).map(outcome))]).then(async ([needed]) => {
      if (!needed.every((ok) => ok === true)) return undefined;
      try {
        return await run(task);
      } catch {
        return false;
      }
    });
    outcomes.set(task.id, ended);
    return ended;
  };
  const ended = await Promise.all(tasks.map(outcome));
  return new Map(tasks.map((task, i) => [task.id, ended[i]]));
}

function assertAcyclic<T>(nodes: readonly T[], id: (node: T) => string, upstream: (node: T) => T[]): void {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (node: T, path: string[]): void => {
    const name = id(node);
    if (done.has(name)) return;
    if (visiting.has(name)) throw new Error(`the stacks depend on each other in a cycle: ${[...path, name].join(' -> ')}`);
    visiting.add(name);
    for (const next of upstream(node)) visit(next, [...path, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const node of nodes) visit(node, []);
}

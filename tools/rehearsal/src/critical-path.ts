import { REPLAN_STEP, type StackRehearsal } from './stack-rehearsal';
import type { StepResult } from './terraform-steps';

/** One stack of one environment: its recorded steps and the stacks it depends on (its `manifest.json` entry). */
export type TimedStack = Pick<StackRehearsal, 'environment' | 'name' | 'steps'> & Required<Pick<StackRehearsal, 'dependencies'>>;

/** A stack's critical path: the longest chain of its own work and that of the stacks it waits for. */
export interface CriticalPath {
  readonly environment: string;
  readonly stack: string;
  /** The stack's own terraform time in this phase (the sum of its steps). */
  readonly ownSeconds: number;
  /** Its own time plus the longest critical path among the stacks it waits for. */
  readonly seconds: number;
  /** That chain, first stack first, ending with this one. */
  readonly path: readonly string[];
}

/** The rehearsal's name of the teardown's check of a stack (its targeted settings plan, before any destroy). */
export const TEARDOWN_CHECK_STEP = 'teardown check';

/** The teardown's own steps (its check, its settings and keep applies, the destroy); every other step is the deploy's. */
export function isTeardownStep(step: StepResult): boolean {
  return step.step === 'destroy' || step.step.startsWith('teardown ');
}

/**
 * The critical path of every stack of one phase along the stack graph, from the seconds its steps
 * took (work, not the time it waited for a terraform slot): for the deploy, a stack waits for the
 * applies of the stacks it depends on (their re-plans run beside it), and its own re-plan ends its
 * path; for the teardown (`reverse`), for the stacks that depend on it (dependants are destroyed
 * first). Dependencies outside the environment's stacks are ignored.
 */
export function criticalPaths(stacks: readonly TimedStack[], phase: 'deploy' | 'teardown'): CriticalPath[] {
  const key = (stack: TimedStack) => `${stack.environment}/${stack.name}`;
  const byKey = new Map(stacks.map((stack) => [key(stack), stack]));
  const waitsFor = (stack: TimedStack): TimedStack[] =>
    phase === 'deploy'
      ? stack.dependencies.flatMap((name) => byKey.get(`${stack.environment}/${name}`) ?? [])
      : stacks.filter((other) => other.environment === stack.environment && other.dependencies.includes(stack.name));
  // The teardown checks every stack before its first destroy, all of them beside each other: a
  // check waits for no other stack, so it is on no stack's chain (run-teardown.ts `runTeardown`).
  const onChain = (step: StepResult) => isTeardownStep(step) === (phase === 'teardown') && step.step !== TEARDOWN_CHECK_STEP;
  const secondsOf = (stack: TimedStack, step: (step: StepResult) => boolean) => stack.steps.filter(step).reduce((sum, s) => sum + s.seconds, 0);
  // What the stacks after it wait for: all of its own time but its re-plan.
  const untilApplied = (stack: TimedStack) => secondsOf(stack, (step) => onChain(step) && step.step !== REPLAN_STEP);
  return longestChains(stacks, key, untilApplied, waitsFor).map((chain, i) => {
    const stack = stacks[i] as TimedStack;
    const replan = secondsOf(stack, (step) => onChain(step) && step.step === REPLAN_STEP);
    return { environment: stack.environment, stack: stack.name, ownSeconds: chain.ownSeconds + replan, seconds: chain.seconds + replan, path: chain.path.map((upstream) => upstream.name) };
  });
}

/** A node's longest chain: its own seconds plus the longest chain among the nodes it waits for. */
export interface Chain<T> {
  readonly ownSeconds: number;
  readonly seconds: number;
  /** The chain, first node first, ending with this one. */
  readonly path: readonly T[];
}

/**
 * Each node's longest chain (in the order of `nodes`) through what it waits for, weighted by
 * each node's own seconds. Throws on a cycle, naming it by `id`.
 */
export function longestChains<T>(nodes: readonly T[], id: (node: T) => string, ownSeconds: (node: T) => number, waitsFor: (node: T) => readonly T[]): Array<Chain<T>> {
  const memo = new Map<string, Chain<T>>();
  const visit = (node: T, seen: readonly string[]): Chain<T> => {
    const name = id(node);
    const known = memo.get(name);
    if (known) return known;
    if (seen.includes(name)) throw new Error(`the stacks depend on each other in a cycle: ${[...seen, name].join(' -> ')}`);
    const own = ownSeconds(node);
    const longest = longestPath(waitsFor(node).map((upstream) => visit(upstream, [...seen, name])));
    const chain = { ownSeconds: own, seconds: own + (longest?.seconds ?? 0), path: [...(longest?.path ?? []), node] };
    memo.set(name, chain);
    return chain;
  };
  return nodes.map((node) => visit(node, []));
}

/** The longest of `paths` (undefined for none). */
export function longestPath<P extends { readonly seconds: number }>(paths: readonly P[]): P | undefined {
  return paths.reduce<P | undefined>((best, candidate) => (best === undefined || candidate.seconds > best.seconds ? candidate : best), undefined);
}

import type { StackRehearsal } from './stack-rehearsal';
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

/** The teardown's own steps (its settings and keep applies, the destroy); every other step is the deploy's. */
export function isTeardownStep(step: StepResult): boolean {
  return step.step === 'destroy' || step.step.startsWith('teardown ');
}

/**
 * The critical path of every stack of one phase along the stack graph, from the seconds its steps
 * took (work, not the time it waited for a terraform slot): for the deploy, a stack waits for the
 * stacks it depends on; for the teardown (`reverse`), for the stacks that depend on it (dependants
 * are destroyed first). Dependencies outside the environment's stacks are ignored.
 */
export function criticalPaths(stacks: readonly TimedStack[], phase: 'deploy' | 'teardown'): CriticalPath[] {
  const key = (environment: string, name: string) => `${environment}/${name}`;
  const byKey = new Map(stacks.map((stack) => [key(stack.environment, stack.name), stack]));
  const waitsFor = (stack: TimedStack): TimedStack[] =>
    phase === 'deploy'
      ? stack.dependencies.flatMap((name) => byKey.get(key(stack.environment, name)) ?? [])
      : stacks.filter((other) => other.environment === stack.environment && other.dependencies.includes(stack.name));
  const memo = new Map<string, CriticalPath>();
  const visit = (stack: TimedStack, seen: readonly string[]): CriticalPath => {
    const id = key(stack.environment, stack.name);
    const known = memo.get(id);
    if (known) return known;
    if (seen.includes(id)) throw new Error(`the stacks depend on each other in a cycle: ${[...seen, id].join(' -> ')}`);
    const ownSeconds = stack.steps.filter((step) => isTeardownStep(step) === (phase === 'teardown')).reduce((sum, step) => sum + step.seconds, 0);
    const longest = waitsFor(stack)
      .map((upstream) => visit(upstream, [...seen, id]))
      .reduce<CriticalPath | undefined>((best, candidate) => (best === undefined || candidate.seconds > best.seconds ? candidate : best), undefined);
    const path = { environment: stack.environment, stack: stack.name, ownSeconds, seconds: ownSeconds + (longest?.seconds ?? 0), path: [...(longest?.path ?? []), stack.name] };
    memo.set(id, path);
    return path;
  };
  return stacks.map((stack) => visit(stack, []));
}

/** The longest of `paths` (undefined for none). */
export function longestPath(paths: readonly CriticalPath[]): CriticalPath | undefined {
  return paths.reduce<CriticalPath | undefined>((best, candidate) => (best === undefined || candidate.seconds > best.seconds ? candidate : best), undefined);
}

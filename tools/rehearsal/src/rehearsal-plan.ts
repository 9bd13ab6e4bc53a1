import { type Chain, longestChains, longestPath } from './critical-path';
import type { GraphNode, ScheduledTask } from './graph-order';
import type { SlotOrder } from './limiter';
import { REHEARSED_STACKS, notRehearsed, rehearsedStack } from './rehearsed-stacks';
import type { Scenario } from './scenario-definitions';
import type { StepResult } from './terraform-steps';

/** The phases of the rehearsal; they overlap, each task belongs to one. */
export type RehearsalPhase = 'deploy' | 'move' | 'scenarios' | 'teardown';

/** One task of the rehearsal's schedule. */
export interface RehearsalTask extends ScheduledTask {
  readonly phase: RehearsalPhase;
  /**
   * `deploy`: a stack's `init` and `apply`; `re-plan`: its plan right after, which must show no
   * changes; `vcpu-stop`: the first plan with instances in the fresh account, and the operator's
   * increase.
   */
  readonly kind: 'deploy' | 're-plan' | 'vcpu-stop' | 'move' | 'scenario' | 'teardown';
  readonly environment?: string;
  readonly stack?: string;
  readonly scenario?: string;
  /** How it waits for a terraform slot: a re-plan, which no other stack waits for, `last`. @default 'in turn' */
  readonly slotOrder?: SlotOrder;
}

/** A stack of an environment's graph, and which stack of another environment is the same one. */
export interface RehearsedNode extends GraphNode {
  /**
   * The same stack in another environment, in the same region (`<single-region stack>@<region>`,
   * `sameStackKey`): its account checks count what the other holds there. @default its name
   */
  readonly sameAs?: string;
}

/** What the schedule is built from. */
export interface RehearsalPlanInput {
  /**
   * In order: each one's stacks with their dependencies (its manifest.json). The first is deployed
   * from the baseline and moved unless it says `fromBaseline: false` (a run of only later
   * environments, `--environments`); the others from this version.
   */
  readonly environments: ReadonlyArray<{ readonly name: string; readonly fromBaseline?: boolean; readonly stacks: readonly RehearsedNode[] }>;
  /** The first environment's stack whose first plan must stop at the fresh account's vCPU quota, and the other stacks that draw on that quota (they deploy after the increase). */
  readonly vcpus: { readonly firstStop: string; readonly others: readonly string[] };
  /** The changed configurations: the first environment's stacks each plans, and the other environments' stacks its messages count (by the first environment's names: the same stacks, `sameAs`). */
  readonly scenarios: ReadonlyArray<{ readonly name: string; readonly plans: readonly string[]; readonly counts?: readonly string[] }>;
}

/**
 * The rehearsed stacks of one environment's graph (its manifest.json, in its order), each with the
 * key of the same stack in another environment (`sameStackKey`: its single-region name in the
 * region of its default provider, `regionOf`). Throws on a stack the rehearsal knows neither how
 * to rehearse nor why not: a new stack is never skipped in silence.
 */
export function rehearsedGraph(stacks: readonly GraphNode[], regionOf: (stack: string) => string): RehearsedNode[] {
  return stacks.flatMap((stack) => {
    const definition = rehearsedStack(stack.name);
    if (definition) return [{ name: stack.name, dependencies: stack.dependencies, sameAs: sameStackKey(definition.base, regionOf(stack.name)) }];
    if (notRehearsed(stack.name)) return [];
    throw new Error(`stack ${stack.name}: the rehearsal knows neither how to rehearse it nor why it cannot (tools/rehearsal/src/rehearsed-stacks.ts)`);
  });
}

/** The key that finds the same stack in every environment: its single-region name and its region (`network@us-east-1` for `network` and for `network-us-east-1`). */
export function sameStackKey(base: string, region: string): string {
  return `${base}@${region}`;
}

/** The schedule's input for these environments' stack graphs and these changed configurations, with the rehearsed stacks' vCPU roles. */
export function rehearsalPlanInput(environments: RehearsalPlanInput['environments'], scenarios: readonly Scenario[]): RehearsalPlanInput {
  return {
    environments,
    vcpus: {
      firstStop: REHEARSED_STACKS.find((definition) => definition.firstToNeedVcpus)?.name ?? '',
      others: REHEARSED_STACKS.filter((definition) => definition.drawsOnVcpus && !definition.firstToNeedVcpus).map((definition) => definition.name),
    },
    scenarios: scenarios.map((scenario) => ({ name: scenario.name, plans: scenario.onlyStacks ?? scenario.expectedStacks, ...(scenario.countsOtherEnvironments ? { counts: scenario.countsOtherEnvironments } : {}) })),
  };
}

export const taskId = {
  deploy: (environment: string, stack: string) => `${environment} deploy ${stack}`,
  replan: (environment: string, stack: string) => `${environment} re-plan ${stack}`,
  vcpuStop: (environment: string, stack: string) => `${environment} vcpu-stop ${stack}`,
  move: (environment: string, stack: string) => `${environment} move ${stack}`,
  scenario: (name: string) => `scenario ${name}`,
  teardown: (environment: string) => `${environment} teardown`,
};

/**
 * The rehearsal as one schedule, each task starting as soon as what it needs exists:
 * - a stack's deploy is its `init` and `apply`; the stacks that depend on it start once it is
 *   applied, as `cdktf deploy '*'` starts them, and its re-plan (which must show no changes) runs
 *   beside them: a plan reads the stack's state and writes none, and the stacks that depend on it
 *   read its outputs, which the apply wrote;
 * - the first environment's baseline deploys along the stack graph (`cdktf deploy '*'`); its
 *   first plan with instances stops at the fresh account's vCPU quota, and every stack that draws
 *   on that quota deploys after the increase;
 * - each of its stacks moves onto this version once it is deployed and re-planned (the move
 *   writes the state the re-plan reads) and the stacks it depends on are moved;
 * - every other environment deploys each stack once its own upstream stacks are deployed and the
 *   environment before it deployed the same stack, the one of the same kind in the same region
 *   (`sameAs`: its account checks count what that one holds there; a region no environment before
 *   it used is a fresh account's region, whose quota stops its own plans);
 * - each changed configuration plans once the first environment's stacks it plans, and their
 *   upstream stacks, are moved, and once the other environments' stacks its messages count are
 *   deployed;
 * - each environment's teardown runs, whatever failed, once nothing else needs it: its own
 *   tasks, every later environment's deploy and re-plan of the same stacks (planned against an
 *   account holding it; a later multi-region environment's stacks in other regions do not wait
 *   for it), and the changed configurations planned against it or counting it.
 */
export function rehearsalTasks(input: RehearsalPlanInput): RehearsalTask[] {
  const [head, ...rest] = input.environments;
  if (!head) return [];
  const first = head.fromBaseline === false ? undefined : head;
  const others = first ? rest : input.environments;
  const tasks: RehearsalTask[] = [];
  const dependenciesIn = (stacks: readonly GraphNode[], name: string) => {
    const names = new Set(stacks.map((stack) => stack.name));
    return (stacks.find((stack) => stack.name === name)?.dependencies ?? []).filter((dependency) => names.has(dependency));
  };
  const key = (stack: RehearsedNode) => stack.sameAs ?? stack.name;
  const sameIn = (environment: RehearsalPlanInput['environments'][number], stack: RehearsedNode) => environment.stacks.filter((other) => key(other) === key(stack));
  if (first) {
    const vcpuStop = first.stacks.some((stack) => stack.name === input.vcpus.firstStop) ? taskId.vcpuStop(first.name, input.vcpus.firstStop) : undefined;
    for (const { name } of first.stacks) {
      const upstream = dependenciesIn(first.stacks, name).map((dependency) => taskId.deploy(first.name, dependency));
      if (name === input.vcpus.firstStop && vcpuStop) tasks.push({ id: vcpuStop, phase: 'deploy', kind: 'vcpu-stop', environment: first.name, stack: name, needs: upstream });
      const afterIncrease = vcpuStop && (name === input.vcpus.firstStop || input.vcpus.others.includes(name)) ? [vcpuStop] : [];
      tasks.push({ id: taskId.deploy(first.name, name), phase: 'deploy', kind: 'deploy', environment: first.name, stack: name, needs: [...upstream, ...afterIncrease] });
      tasks.push(replanTask(first.name, name));
    }
    for (const { name } of first.stacks) {
      const upstream = dependenciesIn(first.stacks, name).map((dependency) => taskId.move(first.name, dependency));
      tasks.push({ id: taskId.move(first.name, name), phase: 'move', kind: 'move', environment: first.name, stack: name, needs: [taskId.replan(first.name, name), ...upstream] });
    }
  }
  let previous = first;
  for (const environment of others) {
    const before = previous;
    for (const stack of environment.stacks) {
      const upstream = dependenciesIn(environment.stacks, stack.name).map((dependency) => taskId.deploy(environment.name, dependency));
      const sameStackBefore = before ? sameIn(before, stack).map((same) => taskId.deploy(before.name, same.name)) : [];
      tasks.push({ id: taskId.deploy(environment.name, stack.name), phase: 'deploy', kind: 'deploy', environment: environment.name, stack: stack.name, needs: [...upstream, ...sameStackBefore] });
      tasks.push(replanTask(environment.name, stack.name));
    }
    previous = environment;
  }
  for (const scenario of first ? input.scenarios : []) {
    const moved = closure(first?.stacks ?? [], scenario.plans).map((stack) => taskId.move(first?.name ?? '', stack));
    const countedKeys = (first?.stacks ?? []).filter((stack) => (scenario.counts ?? []).includes(stack.name)).map(key);
    const counted = others.flatMap((environment) => environment.stacks.filter((stack) => countedKeys.includes(key(stack))).map((stack) => taskId.deploy(environment.name, stack.name)));
    tasks.push({ id: taskId.scenario(scenario.name), phase: 'scenarios', kind: 'scenario', scenario: scenario.name, needs: [...moved, ...counted] });
  }
  input.environments.forEach((environment, index) => {
    const own = tasks.filter((task) => task.environment === environment.name).map((task) => task.id);
    // Only the later environments' same stacks plan against what this one holds (its quotas, in its regions).
    const later = input.environments
      .slice(index + 1)
      .flatMap((other) => other.stacks.filter((stack) => environment.stacks.some((own) => key(own) === key(stack))).flatMap((stack) => [taskId.deploy(other.name, stack.name), taskId.replan(other.name, stack.name)]));
    const scenarios = (first ? input.scenarios : []).filter((scenario) => environment === first || (scenario.counts ?? []).length > 0).map((scenario) => taskId.scenario(scenario.name));
    tasks.push({ id: taskId.teardown(environment.name), phase: 'teardown', kind: 'teardown', environment: environment.name, after: [...own, ...later, ...scenarios] });
  });
  return tasks;
}

/** A stack's re-plan, once its apply is done; it waits for a slot after the tasks that others wait for. */
function replanTask(environment: string, stack: string): RehearsalTask {
  return { id: taskId.replan(environment, stack), phase: 'deploy', kind: 're-plan', environment, stack, needs: [taskId.deploy(environment, stack)], slotOrder: 'last' };
}

/** `names` and every stack they depend on, transitively, in the order of `stacks`. */
function closure(stacks: readonly GraphNode[], names: readonly string[]): string[] {
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name) || !stacks.some((stack) => stack.name === name)) return;
    wanted.add(name);
    for (const dependency of stacks.find((stack) => stack.name === name)?.dependencies ?? []) add(dependency);
  };
  names.forEach(add);
  return stacks.map((stack) => stack.name).filter((name) => wanted.has(name));
}

/** When a task of the schedule ran (seconds from the rehearsal's start) and its own terraform seconds. */
export interface TaskTiming {
  readonly task: RehearsalTask;
  readonly started: number;
  readonly ended: number;
  /** Its own terraform time, not the time it waited for a slot (a teardown's and a scenario's: their longest chain of steps, since their stacks run at once). */
  readonly ownSeconds: number;
  /** The CPU seconds of those steps' terraform processes with their providers, where measured. */
  readonly ownCpuSeconds?: number;
  /** The steps that make up its own time, where recorded. */
  readonly steps?: readonly StepResult[];
}

/** Each phase's wall span: from its first task's start to its last task's end (phases overlap). */
export function phaseSpans(timings: readonly TaskTiming[]): Partial<Record<RehearsalPhase, { readonly start: number; readonly end: number }>> {
  const spans: Partial<Record<RehearsalPhase, { start: number; end: number }>> = {};
  for (const { task, started, ended } of timings) {
    const span = spans[task.phase];
    spans[task.phase] = span ? { start: Math.min(span.start, started), end: Math.max(span.end, ended) } : { start: started, end: ended };
  }
  return spans;
}

/** The rehearsal's longest chain of tasks through what each waits for, by their own terraform seconds (undefined without timings). */
export function rehearsalCriticalPath(timings: readonly TaskTiming[]): Chain<RehearsalTask> | undefined {
  const byId = new Map(timings.map((timing) => [timing.task.id, timing]));
  const waitsFor = (timing: TaskTiming) => [...(timing.task.needs ?? []), ...(timing.task.after ?? [])].flatMap((id) => byId.get(id) ?? []);
  const chains = longestChains(timings, (timing) => timing.task.id, (timing) => timing.ownSeconds, waitsFor);
  const longest = longestPath(chains);
  return longest && { ownSeconds: longest.ownSeconds, seconds: longest.seconds, path: longest.path.map((timing) => timing.task) };
}

import { getPriority, setPriority } from 'node:os';

/**
 * The Nx targets the README's test command (`npm test`) runs, on every project that has them.
 * Each must be a cacheable target with complete inputs, so that a rerun with nothing changed is
 * replayed from the Nx cache. Adding a target to the test command is one line here.
 */
export const TEST_TARGETS: readonly string[] = [
  'typecheck-workspace', // @crdb-ory/workspace: every project's `typecheck` in one `tsc --build` (WORKSPACE_WIDE_TARGETS)
  'lint-workspace', // @crdb-ory/workspace: every project's `lint` in one `eslint` run (WORKSPACE_WIDE_TARGETS)
  'test',
  'review', // @crdb-ory/us-east-1: offline review of every stack (cdktf.out/review.md)
  'e2e-registry', // @crdb-ory/publishing: publish to a local registry, install (on each engine), synthesize, run the bins
  'engine-equivalence', // @crdb-ory/engines: the workspace on the other CDK engine synthesizes identical Terraform, type-checks and passes the construct packages' tests
  'rehearse', // @crdb-ory/rehearsal: apply, re-plan and destroy every AWS stack against moto; plan-review of changed configurations
  'clean-checkout', // @crdb-ory/workspace: every bin and npm script, run from a clean copy of the tree with no build output
];

/**
 * The per-project targets the test command runs as one task over the whole workspace, and the
 * workspace-wide target that stands for each. Each project keeps its own `typecheck` and `lint`
 * (`nx run-many -t typecheck lint -p <project>` while working on it), but 21 `tsc` and 21 `eslint`
 * processes each load TypeScript, the Node and cdktf declarations and the Nx project graph again:
 * the same files checked in one process each cost about a quarter of the CPU (docs/testing.md). The
 * workspace-wide `typecheck-workspace` runs `tsc --build` on the root tsconfig.json, whose
 * references Nx's sync keeps to every project; `lint-workspace` runs eslint, with the same
 * configuration and `--max-warnings=0`, over the npm workspaces' folders, which hold every project.
 */
export const WORKSPACE_WIDE_TARGETS: Readonly<Record<string, string>> = { typecheck: 'typecheck-workspace', lint: 'lint-workspace' };

/** `nx run-many` over the test targets. */
export function testCommandArgs(targets: readonly string[] = TEST_TARGETS): string[] {
  return ['run-many', '-t', ...targets, '--outputStyle=stream'];
}

/**
 * The long pole of the test command: the deploy rehearsal takes longer than every other target
 * together can on two lanes, but Nx starts the tasks nothing else depends on last (its scheduler
 * orders ready tasks by how many tasks and projects depend on them), so in one `run-many` it
 * started about 8 minutes in. It runs in an Nx process of its own, started first.
 */
export const LONG_POLE_TARGETS: readonly string[] = ['rehearse'];

/** Tasks Nx runs at once in one `run-many` (its default `parallel`). */
export const NX_PARALLEL = 3;

/**
 * The scheduling priority (`nice` value, 0 to 19: higher yields more) of the lane that runs beside
 * the long pole. The suite is bound by CPU on two cores (docs/testing.md), and the long pole is its
 * critical path: with both lanes at the same priority the kernel shares the cores by runnable
 * process, so the rehearsal's terraform processes wait behind test workers while the rest of the
 * suite has slack. At 5 the Linux scheduler weights a process at 335 against 1024 at 0 (kernel
 * `sched_prio_to_weight`, each step about 1.25 times; sched(7), "The nice value"): when both lanes
 * want the cores, the rehearsal gets about three quarters of them; when it waits on the emulator
 * or a provider waiter, the other lane gets all of them. Not higher: the other lane's specs with
 * time limits (a roll command's, a Kratos call's) must still finish within them while the
 * rehearsal plans.
 */
export const BESIDE_LONG_POLE_NICENESS = 5;

/** One `nx` process of the test command: its arguments and the `nice` value it starts with. */
export interface TestLane {
  readonly args: readonly string[];
  readonly niceness: number;
}

/** The test command's lanes, in the order they start: the long pole at the default priority, the rest beside it at BESIDE_LONG_POLE_NICENESS. */
export function testLanes(targets: readonly string[] = TEST_TARGETS): TestLane[] {
  const commands = testCommands(targets);
  return commands.map((args, index) => ({ args, niceness: commands.length > 1 && index > 0 ? BESIDE_LONG_POLE_NICENESS : 0 }));
}

/** A started lane: `started` resolves once its first task runs, `exited` to its exit code. */
export interface StartedLane {
  readonly started: Promise<void>;
  readonly exited: Promise<number>;
}

/**
 * Starts the lanes in order, each once the one before has started its first task (so that two Nx
 * processes never build the project graph at once), and resolves to the first non-zero exit code,
 * else 0. Before a lane with a higher nice value starts, this process lowers its own priority to
 * it, and the lane inherits it (fork(2): the child inherits its parent's nice value, set with
 * setpriority(2)); a lane started before keeps the priority it started with (a nice value belongs
 * to each process, setpriority(2) `PRIO_PROCESS`). This process only relays output afterwards.
 */
export async function runLanes(lanes: readonly TestLane[], start: (args: readonly string[]) => StartedLane): Promise<number> {
  const codes: Array<Promise<number>> = [];
  for (const lane of lanes) {
    if (lane.niceness > getPriority()) setPriority(lane.niceness);
    const run = start(lane.args);
    codes.push(run.exited);
    await Promise.race([run.started, run.exited]);
  }
  return (await Promise.all(codes)).find((code) => code !== 0) ?? 0;
}

/**
 * The `nx` invocations of the test command, in the order they start: the long pole first, then
 * every other test target. The long pole takes one of the lanes one `run-many` would have, so the
 * machine runs as many tasks at once as before: the timing-sensitive tests (the roll command's,
 * 30 s each at most) see no more load than in one `run-many`.
 */
export function testCommands(targets: readonly string[] = TEST_TARGETS): string[][] {
  const longPole = targets.filter((target) => LONG_POLE_TARGETS.includes(target));
  const rest = targets.filter((target) => !LONG_POLE_TARGETS.includes(target));
  if (longPole.length === 0 || rest.length === 0) return [testCommandArgs(targets)];
  return [testCommandArgs(longPole), [...testCommandArgs(rest), `--parallel=${NX_PARALLEL - longPole.length}`]];
}

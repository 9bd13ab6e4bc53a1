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

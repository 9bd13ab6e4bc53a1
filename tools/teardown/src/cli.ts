import { runTerraformAsync } from '@crdb-ory/terraform-harness';
import { resolve } from 'node:path';
import { withUsageErrors } from '@crdb-ory/core/command-line';
import { USAGE, type TeardownCliOptions, parseTeardownArgs } from './cli-args';
import { renderTeardownPlan, costSummary } from './render-plan';
import { type StackTerraform, runTeardown } from './run-teardown';
import { readTeardownInput } from './teardown-input';
import { planTeardown } from './teardown-plan';

/** How terraform runs for the CLI: in the stack's folder, with the operator's credentials; a destroy of EKS takes minutes. */
export const OPERATOR_TERRAFORM: StackTerraform = (stack, args) => runTerraformAsync(args, { cwd: stack.stack.dir, timeoutSeconds: 3 * 3600 });

/** `npm run teardown`; returns the exit code: 0 done or dry run, 1 failed, 2 usage error. */
export async function main(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
  terraform: StackTerraform = OPERATOR_TERRAFORM,
): Promise<number> {
  return withUsageErrors({ command: 'teardown', usage: USAGE, err }, () => teardown(parseTeardownArgs(argv), out, err, terraform));
}

async function teardown(options: TeardownCliOptions, out: (text: string) => void, err: (text: string) => void, terraform: StackTerraform): Promise<number> {
  if (options.help) {
    out(USAGE);
    return 0;
  }
  let input;
  try {
    input = readTeardownInput(resolve(options.outdir));
  } catch (error) {
    err(`teardown: ${(error as Error).message}\n`);
    return 2;
  }
  const plan = planTeardown(input, { deleteData: options.deleteData });
  out(renderTeardownPlan(plan));
  if (options.dryRun) {
    out('\nDry run: nothing was changed. Run again with --yes to tear the environment down.\n');
    return 0;
  }
  out('\n');
  const result = await runTeardown(plan, terraform, (line) => out(`${line}\n`));
  if (!result.ok) {
    const failed = result.stacks.at(-1);
    err(`teardown: stopped at ${failed?.stack}${result.notStarted.length > 0 ? `; still deployed: ${result.notStarted.join(', ')}` : ''}. Fix the cause and run the teardown again: every step is safe to repeat.\n`);
    return 1;
  }
  const skipped = result.stacks.filter((s) => s.skipped).map((s) => s.stack);
  out(`\nTeardown complete: ${result.stacks.length - skipped.length} stacks destroyed${skipped.length > 0 ? ` (${skipped.join(', ')}: nothing deployed)` : ''}. ${costSummary(plan.leftovers)}\n`);
  return 0;
}

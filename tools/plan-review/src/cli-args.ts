import { basename } from 'node:path';
import type { Acknowledgement } from './acknowledgements';
import { UsageError, parseCommandLine } from '@crdb-ory/core/command-line';

export interface PlanArgument {
  readonly stack: string;
  readonly file: string;
}

export interface CliOptions {
  readonly help: boolean;
  readonly plans: readonly PlanArgument[];
  readonly acknowledgedFiles: readonly string[];
  /** From `--acknowledge <stack>:<address>=<reason>`. */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly out?: string;
}

/** A stack name: what the synthesized stacks are called (`state`, `cockroach-pki`, ...). */
export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The stack a plan file is for when the command line does not say: `plans/cockroach.plan.json` is `cockroach`. */
export function stackNameFromFile(file: string): string {
  return basename(file).replace(/(\.plan)?\.json$/, '');
}

export const USAGE = `Usage: npm run plan-review -- [options] <plan.json | stack=plan.json>...
Reviews Terraform plans (terraform show -json <planfile> > <stack>.plan.json) for a pull request:
counts, replacements and the attributes forcing them, and the dangerous actions, as Markdown.

Arguments:
  <plan.json>                 a plan; its stack is the file name without .plan.json / .json
  <stack>=<plan.json>         a plan for the named stack

Options:
  --acknowledged <file>       acknowledgement file: { "acknowledged": [ { "stack", "address", "reason" } ] }
  --acknowledge <stack>:<address>=<reason>
                              acknowledge one address (repeatable)
  --out <file.md>             write the Markdown there (default: standard output)
  --help                      show this help

Exit codes: 0 no unacknowledged dangerous action, 1 at least one, 2 usage or input error.
`;

/** The command line read, or a UsageError naming the argument and its value. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values, positionals } = parseCommandLine(argv, {
    options: { acknowledged: { type: 'string', multiple: true }, acknowledge: { type: 'string', multiple: true }, out: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    unknownArgument: (arg) => `unknown option "${arg}" (allowed: --acknowledged, --acknowledge, --out, --help)`,
  });
  const plans = positionals.map(planArgument);
  const out = values.out ?? [];
  if (out.length > 1) throw new UsageError(`--out given ${out.length} times ("${out.join('", "')}"); allowed: once`);
  const help = values.help === true;
  if (!help) checkPlans(plans);
  return {
    help,
    plans,
    acknowledgedFiles: values.acknowledged ?? [],
    acknowledgements: (values.acknowledge ?? []).map(acknowledgeFlag),
    ...(out[0] === undefined ? {} : { out: out[0] }),
  };
}

function planArgument(arg: string): PlanArgument {
  const named = /^([^=/\\]+)=(.+)$/s.exec(arg);
  if (named) {
    const [, stack = '', file = ''] = named;
    if (!STACK_NAME.test(stack)) throw new UsageError(`plan argument "${arg}": stack name "${stack}" may hold letters, digits, "-", "_" and "."`);
    return { stack, file };
  }
  const stack = stackNameFromFile(arg);
  if (!STACK_NAME.test(stack)) throw new UsageError(`plan argument "${arg}": cannot tell the stack from the file name; write <stack>=${arg}`);
  return { stack, file: arg };
}

function checkPlans(plans: readonly PlanArgument[]): void {
  if (plans.length === 0) throw new UsageError('no plan given: pass at least one <plan.json> or <stack>=<plan.json>');
  const seen = new Map<string, string>();
  for (const plan of plans) {
    const earlier = seen.get(plan.stack);
    if (earlier !== undefined) throw new UsageError(`stack "${plan.stack}" given twice ("${earlier}" and "${plan.file}"); allowed: one plan per stack`);
    seen.set(plan.stack, plan.file);
  }
}

/** `<stack>:<address>=<reason>`: the stack ends at the first ":", the address at the first "=" after it. */
function acknowledgeFlag(value: string): Acknowledgement {
  const [, stack = '', address = '', reason = ''] = /^([^:]+):([^=]+)=(.*)$/s.exec(value) ?? [];
  if (reason.trim() === '') throw new UsageError(`--acknowledge "${value}": expected <stack>:<address>=<reason> with a non-empty reason`);
  return { stack: stack.trim(), address: address.trim(), reason: reason.trim() };
}

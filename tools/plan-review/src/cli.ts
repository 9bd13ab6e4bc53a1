import { PlanInputError, parsePlan } from '@crdb-ory/core/terraform';
import { readFileSync, writeFileSync } from 'node:fs';
import { USAGE_EXIT_CODE, withUsageErrors } from '@crdb-ory/core/command-line';
import { type Acknowledgement, applyAcknowledgements, parseAcknowledgements } from './acknowledgements';
import { type CliOptions, USAGE, parseCliArgs } from './cli-args';
import { renderPlanReviewMarkdown } from './render-markdown';
import { reviewPlan } from './review-plan';
import { planReviewVerdict } from './verdict';

/** What the CLI touches outside itself; tests pass their own. */
export interface CliIo {
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const NODE_IO: CliIo = {
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `npm run plan-review`; returns the exit code: 0 nothing unacknowledged, 1 a dangerous action unacknowledged, 2 usage or input error. */
export function main(argv: readonly string[], io: CliIo = NODE_IO): number {
  return withUsageErrors({ command: 'plan-review', usage: USAGE, err: io.stderr }, () => {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.stdout(USAGE);
      return 0;
    }
    try {
      return run(options, io);
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error;
      io.stderr(`plan-review: ${error.message}\n`);
      return USAGE_EXIT_CODE;
    }
  });
}

function run(options: CliOptions, io: CliIo): number {
  const stacks = options.plans.map(({ stack, file }) => reviewPlan(stack, parsePlan(readInput(io, file, 'plan file'), file)));
  const review = applyAcknowledgements(stacks, [...options.acknowledgedFiles.flatMap((file) => readAcknowledgements(io, file)), ...options.acknowledgements]);
  const markdown = renderPlanReviewMarkdown(review);
  const verdict = planReviewVerdict(review.stacks);
  if (options.out === undefined) {
    io.stdout(markdown);
  } else {
    writeOutput(io, options.out, markdown);
    io.stderr(`plan-review: ${verdict.line} (report: ${options.out})\n`);
  }
  for (const ack of review.staleAcknowledgements) io.stderr(`plan-review: warning: stale acknowledgement ${ack.stack} ${ack.address}: matches no dangerous action\n`);
  return verdict.ok ? 0 : 1;
}

function readAcknowledgements(io: CliIo, file: string): Acknowledgement[] {
  return parseAcknowledgements(readInput(io, file, 'acknowledgement file'), file);
}

function readInput(io: CliIo, file: string, what: string): string {
  try {
    return io.readFile(file);
  } catch (error) {
    throw new PlanInputError(`${file}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function writeOutput(io: CliIo, file: string, text: string): void {
  try {
    io.writeFile(file, text);
  } catch (error) {
    throw new PlanInputError(`--out ${file}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

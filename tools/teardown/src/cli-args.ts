import { UsageError, parseCommandLine } from '@crdb-ory/core/command-line';

export { UsageError } from '@crdb-ory/core/command-line';

export const USAGE = `Usage: npm run teardown -- (--dry-run | --yes) [--delete-data] [--outdir <dir>]
Tears the environment down: every stack of the synthesis in --outdir is destroyed, dependants first.
For this environment only, and just before each destroy, a targeted apply turns off what stands in
its way: the SQL load balancer's deletion protection, and force_destroy of the state bucket. The
backup bucket and its KMS key are kept (removed from Terraform's state), and each data volume gets a
final snapshot, unless --delete-data. Synthesize first with the environment's configuration
(npm run synth); the dry run lists what stays afterwards and what it keeps costing per month.

Options:
  --dry-run        print what the teardown would do and what stays; change nothing (needs no AWS access)
  --yes            do it
  --delete-data    also delete the backups (force_destroy on the backup bucket, its KMS key scheduled for
                   deletion) and take no final snapshot of the data volumes
  --outdir <dir>   the synthesis output folder (default: cdktf.out)
  --help           show this help

Exit codes: 0 done (or dry run), 1 a step failed (the stacks after it stay deployed), 2 usage error.
`;

export interface TeardownCliOptions {
  readonly help: boolean;
  readonly dryRun: boolean;
  readonly deleteData: boolean;
  readonly outdir: string;
}

/** The command line, or a UsageError naming what is wrong. */
export function parseTeardownArgs(argv: readonly string[]): TeardownCliOptions {
  const { values } = parseCommandLine(argv, {
    options: { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, 'delete-data': { type: 'boolean' }, outdir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const options = { help: values.help === true, dryRun: values['dry-run'] === true, deleteData: values['delete-data'] === true, outdir: values.outdir ?? 'cdktf.out' };
  if (options.help) return options;
  if (options.dryRun && values.yes === true) throw new UsageError('--dry-run and --yes exclude each other');
  if (!options.dryRun && values.yes !== true) throw new UsageError('the teardown destroys every stack: run it with --dry-run to see what it does and what stays, then with --yes');
  if (options.outdir.trim() === '') throw new UsageError('--outdir needs a folder');
  return options;
}

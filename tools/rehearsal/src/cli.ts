import { mkdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError, parseCommandLine, withUsageErrors } from '@crdb-ory/core/command-line';
import { rehearse } from './rehearse';
import { type RehearsedEnvironment, selectEnvironments } from './environments';
import { rehearsalPassed, rehearsalVerdict, renderRehearsalReport } from './report';
import { WORKSPACE_ROOT } from './synthesize';

const USAGE = `usage: npm run rehearse -- [--config <file.json>] [--outdir <dir>] [--skip-changes] [--environments <names>] [--keep]

Deploys every AWS stack as main deployed it (tools/rehearsal/baseline) with real terraform against
a local AWS emulator (moto on 127.0.0.1), re-plans each one (it must show no changes), moves that
deployment onto this version's stacks (plan-review must flag nothing), deploys a second
environment of this version side by side in the same account, the multi-region app in three
regions (each stack once its upstream stacks are deployed, the regions in parallel), plans a few changed configurations against the first environment's state and
reviews them with plan-review, then tears both environments down with the teardown command and
checks what stays.
  --config <file>   the configuration to rehearse (default tools/rehearsal/config/rehearsal.config.json)
  --outdir <dir>    where rehearsal.md and the plan reviews go (default cdktf.out)
  --skip-changes    deploy, re-plan and tear down only
  --environments <names>
                    only these environments, comma-separated (crdb-ory, staging); without
                    crdb-ory there is no move and no changed-configuration plan, and the
                    rehearsal cannot pass (for development)
  --keep            keep the scratch folder (terraform files and state) for debugging`;

interface CliOptions {
  readonly configFile: string;
  readonly outdir: string;
  readonly skipScenarios: boolean;
  readonly keep: boolean;
  /** @default every environment (ENVIRONMENTS) */
  readonly environments?: readonly RehearsedEnvironment[];
}

/** `--help`, or the options; a UsageError naming what is wrong. */
export function parseArgs(argv: readonly string[], cwd = process.cwd()): CliOptions | 'help' {
  const { values } = parseCommandLine(argv, {
    options: { config: { type: 'string' }, outdir: { type: 'string' }, 'skip-changes': { type: 'boolean' }, environments: { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    unknownArgument: (arg) => `unknown argument "${arg}": allowed are --config, --outdir, --skip-changes, --environments, --keep, --help`,
  });
  if (values.help) return 'help';
  const configFile = values.config === undefined ? join(WORKSPACE_ROOT, 'tools', 'rehearsal', 'config', 'rehearsal.config.json') : resolve(cwd, values.config);
  if (!existsSync(configFile) || !statSync(configFile).isFile()) throw new UsageError(`--config "${configFile}" is not a file`);
  const environments = values.environments === undefined ? undefined : selectEnvironments(values.environments.split(',').map((name) => name.trim()).filter((name) => name !== ''));
  if (typeof environments === 'string') throw new UsageError(environments);
  return {
    configFile,
    outdir: values.outdir === undefined ? join(WORKSPACE_ROOT, 'cdktf.out') : resolve(cwd, values.outdir),
    skipScenarios: values['skip-changes'] === true,
    keep: values.keep === true,
    ...(environments ? { environments } : {}),
  };
}

/** The rehearsal command; returns its exit code (0 passed, 1 failed, 2 usage). */
export async function main(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  return withUsageErrors({ command: 'rehearse', usage: USAGE, err }, () => {
    const options = parseArgs(argv);
    if (options !== 'help') return rehearseAndReport(options, out);
    out(USAGE);
    return Promise.resolve(0);
  });
}

async function rehearseAndReport(options: CliOptions, out: (line: string) => void): Promise<number> {
  const result = await rehearse({ configFile: options.configFile, skipScenarios: options.skipScenarios, keep: options.keep, log: out, ...(options.environments ? { environments: options.environments } : {}) });
  mkdirSync(join(options.outdir, 'rehearsal'), { recursive: true });
  const config = relative(WORKSPACE_ROOT, options.configFile);
  writeFileSync(join(options.outdir, 'rehearsal.md'), renderRehearsalReport(result, { config }));
  if (result.move) writeFileSync(join(options.outdir, 'rehearsal', 'move-from-baseline.plan-review.md'), result.move.markdown);
  for (const scenario of result.scenarios) writeFileSync(join(options.outdir, 'rehearsal', `${scenario.scenario.name}.plan-review.md`), scenario.markdown);
  out(`wrote ${relative(process.cwd(), join(options.outdir, 'rehearsal.md'))}`);
  out(rehearsalVerdict(result));
  return rehearsalPassed(result) ? 0 : 1;
}

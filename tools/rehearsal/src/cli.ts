import { mkdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { rehearse } from './rehearse';
import { rehearsalPassed, rehearsalVerdict, renderRehearsalReport } from './report';
import { WORKSPACE_ROOT } from './synthesize';

const USAGE = `usage: npm run rehearse -- [--config <file.json>] [--outdir <dir>] [--skip-changes] [--keep]

Deploys every AWS stack as main deployed it (tools/rehearsal/baseline) with real terraform against
a local AWS emulator (moto on 127.0.0.1), re-plans each one (it must show no changes), moves that
deployment onto this version's stacks (plan-review must flag nothing), deploys a second
environment of this version side by side in the same account (each stack once its upstream stacks
are deployed), plans a few changed configurations against the first environment's state and
reviews them with plan-review, then tears both environments down with the teardown command and
checks what stays.
  --config <file>   the configuration to rehearse (default tools/rehearsal/config/rehearsal.config.json)
  --outdir <dir>    where rehearsal.md and the plan reviews go (default cdktf.out)
  --skip-changes    deploy, re-plan and tear down only
  --keep            keep the scratch folder (terraform files and state) for debugging`;

interface CliOptions {
  readonly configFile: string;
  readonly outdir: string;
  readonly skipScenarios: boolean;
  readonly keep: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], cwd = process.cwd()): CliOptions | 'help' {
  let configFile = join(WORKSPACE_ROOT, 'tools', 'rehearsal', 'config', 'rehearsal.config.json');
  let outdir = join(WORKSPACE_ROOT, 'cdktf.out');
  let skipScenarios = false;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === undefined) break;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--config') configFile = resolve(cwd, value());
    else if (arg === '--outdir') outdir = resolve(cwd, value());
    else if (arg === '--skip-changes') skipScenarios = true;
    else if (arg === '--keep') keep = true;
    else throw new UsageError(`unknown argument "${arg}": allowed are --config, --outdir, --skip-changes, --keep, --help`);
  }
  if (!existsSync(configFile) || !statSync(configFile).isFile()) throw new UsageError(`--config "${configFile}" is not a file`);
  return { configFile, outdir, skipScenarios, keep };
}

/** The rehearsal command; returns its exit code (0 passed, 1 failed, 2 usage). */
export async function main(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`rehearse: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    out(USAGE);
    return 0;
  }
  const result = await rehearse({ configFile: options.configFile, skipScenarios: options.skipScenarios, keep: options.keep, log: out });
  mkdirSync(join(options.outdir, 'rehearsal'), { recursive: true });
  const config = relative(WORKSPACE_ROOT, options.configFile);
  writeFileSync(join(options.outdir, 'rehearsal.md'), renderRehearsalReport(result, { config }));
  if (result.move) writeFileSync(join(options.outdir, 'rehearsal', 'move-from-baseline.plan-review.md'), result.move.markdown);
  for (const scenario of result.scenarios) writeFileSync(join(options.outdir, 'rehearsal', `${scenario.scenario.name}.plan-review.md`), scenario.markdown);
  out(`wrote ${relative(process.cwd(), join(options.outdir, 'rehearsal.md'))}`);
  out(rehearsalVerdict(result));
  return rehearsalPassed(result) ? 0 : 1;
}

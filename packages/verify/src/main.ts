import { parseCommandLine, helpText } from './cli-args';
import { resolveConfig } from './config';
import { ConfigError } from './errors';
import { formatHumanReport, formatJsonReport, formatProgress } from './report';
import { runVerification } from './run';

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The whole command: parse, resolve, run, report. Returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  let config;
  try {
    const commandLine = await parseCommandLine(argv, env);
    if (commandLine.help) {
      io.stdout(helpText());
      return EXIT_OK;
    }
    config = resolveConfig(commandLine.sources);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`crdb-ory-verify: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const groups = [...config.services.map((s) => `${s.service}${s.regions ? ` (across ${s.regions.map((r) => r.region).join(', ')})` : ''}`), ...(config.backups ? ['backups'] : []), ...(config.databaseRegions ? ['database regions'] : [])];
  io.stderr(`Verifying ${groups.join(', ')}${config.repeat > 1 ? ` (${config.repeat} runs each)` : ''}…\n`);
  const report = await runVerification(config, (result) => io.stderr(formatProgress(result) + '\n'));
  const exitCode = report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  io.stdout(config.json ? formatJsonReport(report, exitCode) : formatHumanReport(report));
  return exitCode;
}

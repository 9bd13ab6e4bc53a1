import { main } from '../../src/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command in-process with the given arguments and environment, capturing its output. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, env, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** `{ dbHost: 'x' }` -> `['--db-host', 'x']`; `true` -> a bare flag. */
export function toFlags(settings: Record<string, string | number | boolean | undefined>): string[] {
  return Object.entries(settings).flatMap(([key, value]) => {
    if (value === undefined || value === false) return [];
    const flag = `--${key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
    return value === true ? [flag] : [flag, String(value)];
  });
}

/**
 * Runs the real entry point in a child process (through tsx), without blocking this process (the
 * servers the command talks to run here): for what only a process has, e.g. NODE_EXTRA_CA_CERTS.
 */
export async function runCliProcess(argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const cli = join(__dirname, '..', '..', 'src', 'cli.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@crdb-ory/source', '--import', 'tsx', cli, ...argv], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

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

import { spawnSync } from 'node:child_process';

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program (found on PATH) and returns its exit status and output. Tests put stubs first on PATH. */
export type CommandRunner = (program: string, args: readonly string[], options?: { readonly timeoutSeconds?: number }) => CommandResult;

/** A runner whose programs see this process's environment plus `env` (e.g. `AWS_PROFILE`). */
export function commandRunner(env: Readonly<Record<string, string>> = {}): CommandRunner {
  return (program, args, options = {}) => {
    const result = spawnSync(program, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: (options.timeoutSeconds ?? 3600) * 1000, env: { ...process.env, ...env } });
    if (result.error) return { status: 127, stdout: '', stderr: `${program}: ${result.error.message}` };
    return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  };
}

export const runCommand: CommandRunner = commandRunner();

/** `'it'\''s'`: one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export const sleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

import { spawnSync } from 'node:child_process';
import { firstVersion } from './version';

/** What a probe may use: the environment (PATH) and whether it may use the network. */
export interface ProbeContext {
  readonly env: NodeJS.ProcessEnv;
  /** False while fingerprinting for Nx: no network requests there. */
  readonly network: boolean;
}

/** The installed version of a prerequisite, or undefined when it is missing. */
export type Probe = (context: ProbeContext) => Promise<string | undefined>;

/** Runs `command args` and takes the version from its output with `pattern` (group 1), or the first version number. */
export function commandVersion(command: string, args: readonly string[], pattern?: RegExp): Probe {
  return async ({ env }) => {
    const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 20_000 });
    if (result.error || result.status !== 0) return undefined;
    const output = `${result.stdout}${result.stderr}`;
    return pattern ? pattern.exec(output)?.[1] : firstVersion(output);
  };
}

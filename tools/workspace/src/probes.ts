import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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

/**
 * `commandVersion` of the first `command` on PATH that answers, not only the first on PATH: Nx
 * puts the node binary's folder (often /usr/bin, with the system Python) first on its tasks'
 * PATH, ahead of the pyenv or virtualenv `python3` that has the module (as the rehearsal finds it).
 */
export function anyOnPathVersion(command: string, args: readonly string[], pattern?: RegExp): Probe {
  return async (context) => {
    const candidates = (context.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command)).filter((path) => existsSync(path));
    for (const candidate of [...new Set(candidates)]) {
      const version = await commandVersion(candidate, args, pattern)(context);
      if (version !== undefined) return version;
    }
    return undefined;
  };
}

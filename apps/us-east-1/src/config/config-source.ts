import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from './config-error';

/** The config file read when `CRDB_ORY_CONFIG` is not set, relative to the project root. */
export const DEFAULT_CONFIG_FILE = 'crdb-ory.config.json';
export const CONFIG_FILE_ENV = 'CRDB_ORY_CONFIG';

/** Where the configuration comes from. */
export type ConfigSource =
  | { readonly kind: 'defaults' }
  | { readonly kind: 'file'; readonly path: string; readonly via: 'env' | 'default-file' };

/**
 * Which file configures this run: the one `CRDB_ORY_CONFIG` names (relative to `cwd`), else
 * `crdb-ory.config.json` in `cwd` if there is one, else none (the defaults). A variable that is
 * set but empty is an error, never "unset": a pipeline that forgot to fill it in must not
 * deploy whatever the root file or the defaults say.
 */
export function configSource(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigSource {
  const explicit = env[CONFIG_FILE_ENV];
  if (explicit !== undefined) {
    if (explicit.trim() === '') {
      throw new ConfigError(CONFIG_FILE_ENV, [
        {
          setting: CONFIG_FILE_ENV,
          value: explicit,
          message: `is set but empty: set it to the path of a JSON config file, or unset it to read ${DEFAULT_CONFIG_FILE} from the project root (the defaults when there is none)`,
        },
      ]);
    }
    return { kind: 'file', path: resolve(cwd, explicit), via: 'env' };
  }
  const path = resolve(cwd, DEFAULT_CONFIG_FILE);
  return pathExists(path) ? { kind: 'file', path, via: 'default-file' } : { kind: 'defaults' };
}

/** How a report names the source: a path relative to `root` where it lies inside it, never a machine path. */
export function describeConfigSource(source: ConfigSource, root = process.cwd()): string {
  if (source.kind === 'defaults') return `the defaults (no ${CONFIG_FILE_ENV}, no ${DEFAULT_CONFIG_FILE})`;
  const inside = relative(root, source.path);
  const shown = inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : `${source.path.split(/[\\/]/).pop()} (outside the project)`;
  return source.via === 'env' ? `${shown} (named by ${CONFIG_FILE_ENV})` : shown;
}

function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

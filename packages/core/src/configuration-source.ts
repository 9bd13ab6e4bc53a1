/**
 * Which configuration file a run of the app reads, and the fingerprint of what it holds: the
 * piece the app (which reads and validates the configuration) and the commands that work on its
 * synthesis output (`roll`, `restore`) share, so that a command refuses a `cdktf.out` that was
 * synthesized from another configuration. No Terraform CDK dependency
 * (`@crdb-ory/core/configuration-source`): the commands load it cheaply.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** The config file read when `CRDB_ORY_CONFIG` is not set, relative to the project root. */
export const DEFAULT_CONFIG_FILE = 'crdb-ory.config.json';
export const CONFIG_FILE_ENV = 'CRDB_ORY_CONFIG';

/** Where the configuration comes from. */
export type ConfigSource =
  | { readonly kind: 'defaults' }
  | { readonly kind: 'file'; readonly path: string; readonly via: 'env' | 'default-file' };

/** The configuration's source cannot be used: `setting` has `value`, and `problem` says what is allowed. */
export class ConfigSourceError extends Error {
  constructor(
    readonly setting: string,
    readonly value: string,
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'ConfigSourceError';
  }
}

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
      throw new ConfigSourceError(
        CONFIG_FILE_ENV,
        explicit,
        `is set but empty: set it to the path of a JSON config file, or unset it to read ${DEFAULT_CONFIG_FILE} from the project root (the defaults when there is none)`,
      );
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

/** Which configuration a synthesis came from: its source, as `describeConfigSource` names it, and the SHA-256 of the file's bytes (null: the defaults). */
export interface ConfigurationFingerprint {
  readonly source: string;
  readonly sha256: string | null;
}

/** The fingerprint of `bytes` read from `source` (none for the defaults). */
export function configurationFingerprint(source: ConfigSource, bytes: Buffer | undefined, root = process.cwd()): ConfigurationFingerprint {
  return { source: describeConfigSource(source, root), sha256: bytes === undefined ? null : createHash('sha256').update(bytes).digest('hex') };
}

/** The fingerprint of the configuration a synthesis run now, with `env` in `cwd`, would read. Throws ConfigSourceError when that cannot be told. */
export function currentConfiguration(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigurationFingerprint {
  const source = configSource(env, cwd);
  if (source.kind === 'defaults') return configurationFingerprint(source, undefined, cwd);
  let bytes: Buffer;
  try {
    bytes = readFileSync(source.path);
  } catch (error) {
    const setting = source.via === 'env' ? CONFIG_FILE_ENV : DEFAULT_CONFIG_FILE;
    throw new ConfigSourceError(setting, source.path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); allowed: the path of a JSON config file`);
  }
  return configurationFingerprint(source, bytes, cwd);
}

/**
 * The file in a synthesis output folder (`cdktf.out/configuration.json`, next to `manifest.json`)
 * that says which configuration the stacks there came from. A file of its own, not a field of the
 * stacks' JSON: a configuration change that leaves a stack alone leaves its `cdk.tf.json` alone.
 */
export const SYNTHESIS_RECORD_FILE = 'configuration.json';

/** Writes the record of `configuration` into the synthesis output folder `outdir`. */
export function writeSynthesisRecord(outdir: string, configuration: ConfigurationFingerprint): void {
  writeFileSync(join(outdir, SYNTHESIS_RECORD_FILE), `${JSON.stringify(configuration, null, 2)}\n`);
}

/** The record of the synthesis output folder `outdir`; undefined when it has none (or an unreadable one). */
export function readSynthesisRecord(outdir: string): ConfigurationFingerprint | undefined {
  let record: Partial<ConfigurationFingerprint>;
  try {
    record = JSON.parse(readFileSync(join(outdir, SYNTHESIS_RECORD_FILE), 'utf8')) as Partial<ConfigurationFingerprint>;
  } catch {
    return undefined;
  }
  if (typeof record.source !== 'string' || !(typeof record.sha256 === 'string' || record.sha256 === null)) return undefined;
  return { source: record.source, sha256: record.sha256 };
}

/** The synthesis output folder of a synthesized stack's folder (`cdktf.out/stacks/<stack>` -> `cdktf.out`), relative to `cwd`. */
export function synthesisOutdirOf(stackDir: string, cwd = process.cwd()): string {
  return dirname(dirname(resolve(cwd, stackDir)));
}

/**
 * Why a command must not use the stack synthesized into `stackDir` (as the user named it, relative
 * to `cwd`) under the configuration `current` (one line, with the command that fixes it);
 * undefined when it may. The same bytes under another name are the same configuration.
 */
export function staleSynthesisProblem(stackDir: string, current: ConfigurationFingerprint, cwd = process.cwd()): string | undefined {
  const recorded = readSynthesisRecord(synthesisOutdirOf(stackDir, cwd));
  const fix = 'run `npm run synth` (with the configuration you mean), then this command again';
  const where = join(stackDir, '..', '..', SYNTHESIS_RECORD_FILE);
  if (!recorded) return `${stackDir} has no record of the configuration it was synthesized from (${where}: an older or foreign synthesis): ${fix}.`;
  if (recorded.sha256 === current.sha256) return undefined;
  const shown = (c: ConfigurationFingerprint) => `${c.source}${c.sha256 ? `, sha256 ${c.sha256.slice(0, 12)}` : ''}`;
  return `${stackDir} was synthesized from ${shown(recorded)}, but the configuration now is ${shown(current)}: ${fix}.`;
}

function pathExists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}

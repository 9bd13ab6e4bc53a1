import type { SynthesizedStackJson } from '@crdb-ory/core';
import { ConfigSourceError, currentConfiguration, staleSynthesisProblem } from '@crdb-ory/core/configuration-source';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '@crdb-ory/core/command-line';
import { OperationStopped } from './operation-stopped';

/** Where `npm run synth` (or `cdktf synth`) writes the cockroach stack. */
export const DEFAULT_COCKROACH_STACK_DIR = 'cdktf.out/stacks/cockroach';
export const DEFAULT_PKI_STACK_DIR = 'cdktf.out/stacks/cockroach-pki';
export const DEFAULT_ORY_STACK_DIR = 'cdktf.out/stacks/ory';

export interface SynthesizedStackDir {
  readonly dir: string;
  readonly json: SynthesizedStackJson;
  /** The region of the stack's aws provider. */
  readonly region: string;
}

/**
 * Reads the synthesized stack the commands work on; a clear error when it was not synthesized,
 * or was synthesized from another configuration than the one `env` and `cwd` select now (the
 * commands would otherwise act on the previous configuration's backend and nodes).
 */
export function readStackDir(dir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SynthesizedStackDir {
  const absolute = resolve(cwd, dir);
  const file = join(absolute, 'cdk.tf.json');
  if (!existsSync(file)) throw new UsageError(`no synthesized stack at ${file}: run \`npm run synth\` first (or pass --stack-dir)`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as SynthesizedStackJson;
  const stale = staleSynthesisProblem(dir, currentConfigurationOrStop(env, cwd), cwd);
  if (stale) throw new OperationStopped(stale);
  const provider = (json.provider as { aws?: Array<{ region?: string }> } | undefined)?.aws?.[0];
  if (!provider?.region) throw new UsageError(`${file} has no aws provider region: is it a synthesized stack of this project?`);
  return { dir: absolute, json, region: provider.region };
}

function currentConfigurationOrStop(env: NodeJS.ProcessEnv, cwd: string) {
  try {
    return currentConfiguration(env, cwd);
  } catch (error) {
    if (error instanceof ConfigSourceError) throw new OperationStopped(`which configuration applies cannot be told: ${error.message}`);
    throw error;
  }
}

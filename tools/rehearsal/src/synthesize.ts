import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackJson } from './emulator-overrides';

/** The checkout the rehearsal belongs to. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/**
 * Synthesizes every stack with the README's main command, as a user would, from the
 * configuration file `configFile`, into `outdir`. Throws with the app's own message when it
 * refuses the configuration or fails.
 */
export function synthesize(configFile: string, outdir: string): { seconds: number; summary: string } {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register', 'apps/us-east-1/src/main.ts', '--outdir', outdir], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, CRDB_ORY_CONFIG: configFile, CDKTF_OUTDIR: undefined },
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`synthesis with ${configFile} failed (exit ${result.status}): ${`${result.stderr}${result.stdout}`.trim()}`);
  const summary = result.stdout.trim().split('\n').filter((line) => line.startsWith('synthesized')).pop() ?? '';
  return { seconds: (Date.now() - started) / 1000, summary };
}

/** One synthesized stack. */
export function readStack(outdir: string, stack: string): StackJson {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;
}

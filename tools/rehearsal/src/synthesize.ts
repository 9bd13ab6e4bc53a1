import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackJson } from './emulator-overrides';
import { REHEARSED_APPS, type RehearsedApp } from './environments';

/** The checkout the rehearsal belongs to. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/**
 * Synthesizes every stack of `app` with its entry point, as a user would (`npm run synth`, or
 * `npm run synth:multi-region`), from the configuration file `configFile`, into `outdir` (several
 * at once: it does not block). Rejects with the app's own message when it refuses the
 * configuration or fails.
 */
export function synthesize(configFile: string, outdir: string, app: RehearsedApp = 'us-east-1'): Promise<{ seconds: number; summary: string }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register', REHEARSED_APPS[app], '--outdir', outdir], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, CRDB_ORY_CONFIG: configFile, CDKTF_OUTDIR: undefined },
      timeout: 180_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`synthesis with ${configFile} failed (exit ${status}): ${`${stderr}${stdout}`.trim()}`));
      const summary = stdout.trim().split('\n').filter((line) => line.startsWith('synthesized')).pop() ?? '';
      resolve({ seconds: (Date.now() - started) / 1000, summary });
    });
  });
}

/** One synthesized stack. */
export function readStack(outdir: string, stack: string): StackJson {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;
}

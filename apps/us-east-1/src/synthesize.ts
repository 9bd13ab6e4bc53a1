import { App } from 'cdktf';
import { mkdtempSync, renameSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeploymentConfig } from './config';
import { buildStacks } from './stacks';

/**
 * Synthesizes every stack into a scratch directory next to `outdir`, then swaps it in. A
 * failure (policy violation, validation error) leaves the previous `outdir` untouched: no
 * half-synthesized output.
 */
export function synthesizeAll(config: DeploymentConfig, outdir: string): void {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const scratch = mkdtempSync(`${target}.tmp-`);
  try {
    const app = new App({ outdir: scratch, skipValidation: false });
    buildStacks(app, config);
    app.synth();
    replaceDirectory(scratch, target);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

function replaceDirectory(source: string, target: string): void {
  const previous = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(source, target);
  rmSync(previous, { recursive: true, force: true });
}

export function defaultOutdir(): string {
  return process.env.CDKTF_OUTDIR ?? join(process.cwd(), 'cdktf.out');
}

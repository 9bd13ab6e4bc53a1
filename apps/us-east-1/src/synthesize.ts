import { CRDB_ORY_PACK, PolicyGate, StackPolicyReport } from '@crdb-ory/policy';
import { App } from 'cdktf';
import { mkdtempSync, renameSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeploymentConfig } from './config';
import { policyContext } from './policy-context';
import { buildStacks } from './stacks';

/** Adds stacks to the app; `buildStacks` in production. */
export type StackBuilder = (app: App, config: DeploymentConfig) => void;

export interface SynthesisResult {
  /** The policy gate's report of every stack (findings below error severity, suppressions). */
  readonly policy: readonly StackPolicyReport[];
}

/**
 * Synthesizes every stack into a scratch directory next to `outdir`, then swaps it in. The
 * policy gate runs on every stack during synthesis; a failure (policy violation, validation
 * error) leaves the previous `outdir` untouched: no half-synthesized output.
 */
export function synthesizeAll(config: DeploymentConfig, outdir: string, build: StackBuilder = buildStacks): SynthesisResult {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const scratch = mkdtempSync(`${target}.tmp-`);
  try {
    const app = new App({ outdir: scratch, skipValidation: false });
    build(app, config);
    const gate = new PolicyGate(CRDB_ORY_PACK, policyContext(config)).applyTo(app);
    app.synth();
    replaceDirectory(scratch, target);
    return { policy: gate.results() };
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

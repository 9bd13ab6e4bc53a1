import { CRDB_ORY_PACK, PolicyGate, StackPolicyReport } from '@crdb-ory/policy';
import { App } from 'cdktf';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeploymentConfig } from './config';
import { policyContext } from './policy-context';
import { buildStacks } from './stacks';

/** Adds stacks to the app; `buildStacks` in production. */
export type StackBuilder = (app: App, config: DeploymentConfig) => void;

export interface SynthesisResult {
  /** The policy gate's report of every stack (findings below error severity, suppressions). */
  readonly policy: readonly StackPolicyReport[];
  /** Warnings the stacks raised at synthesis (`Annotations.addWarning`), e.g. a missing license key. */
  readonly warnings: readonly SynthesisWarning[];
}

export interface SynthesisWarning {
  readonly stackName: string;
  readonly constructPath: string;
  readonly message: string;
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
    const warnings = synthesisWarnings(scratch);
    replaceDirectory(scratch, target);
    return { policy: gate.results(), warnings };
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

function synthesisWarnings(outdir: string): SynthesisWarning[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { annotations?: ManifestAnnotation[] }> };
  return Object.entries(manifest.stacks).flatMap(([stackName, stack]) =>
    (stack.annotations ?? []).filter((a) => a.level === '@cdktf/warn').map((a) => ({ stackName, constructPath: a.constructPath, message: a.message })),
  );
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

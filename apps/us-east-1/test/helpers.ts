import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, ConfigIssue, formatIssue, resolveConfig } from '../src/config';
import { synthesizeAll } from '../src/synthesize';

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

/** How `npm run synth`, `cdktf synth` and the Nx targets run the app's TypeScript entry points. */
export const NODE_TS_ARGS = ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register'];

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `crdb-ory-${prefix}-`));
}

/** Output folders already synthesized in this worker, by configuration. */
const SYNTHESIZED = new Map<string, string>();

/**
 * Synthesizes every stack from `overrides` in-process; returns the output folder. Once per worker
 * and configuration: the spec files share one module graph (`isolate: false`), so the seven that
 * synthesize the defaults share one folder. Treat it as read-only; a spec that writes into a
 * stack's folder copies it first.
 */
export function synthesizeTo(overrides?: unknown): string {
  const key = JSON.stringify(overrides ?? null);
  const cached = SYNTHESIZED.get(key);
  if (cached !== undefined) return cached;
  const outdir = join(tempDir('synth'), 'cdktf.out');
  synthesizeAll(resolveConfig(overrides), outdir);
  SYNTHESIZED.set(key, outdir);
  return outdir;
}

export function stackJson(outdir: string, stack: string): Record<string, any> {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
}

/** Runs the app's entry point the way `npm run synth` does, with its own config file and output folder. */
export function runMain(config: unknown, outdir: string): { status: number | null; stdout: string; stderr: string } {
  const configFile = join(tempDir('config'), 'crdb-ory.config.json');
  writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config));
  return runMainWith({ CRDB_ORY_CONFIG: configFile }, outdir);
}

/** Runs the app's entry point as `npm run synth` does, with extra environment variables. */
export function runMainWith(env: NodeJS.ProcessEnv, outdir: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...NODE_TS_ARGS, 'apps/us-east-1/src/main.ts'], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Operator access to the EKS API (a VPN range): a non-default configuration without any is
 * refused, because the ory stack could not be deployed from it.
 */
export const OPERATOR_ACCESS = { endpointPrivateAccessCidrs: ['10.99.0.0/16'] } as const;

/** `overrides` with operator access to the EKS API added, unless they set the eks access lists themselves. */
export function withOperatorAccess(overrides: unknown = {}): unknown {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) return overrides;
  const eks = (overrides as { eks?: unknown }).eks;
  return { ...overrides, eks: { ...OPERATOR_ACCESS, ...(typeof eks === 'object' && eks !== null ? eks : {}) } };
}

/** `issuesOf` for a configuration that is otherwise deployable (operator access added). */
export function deployableIssuesOf(overrides: unknown): string[] {
  return issuesOf(withOperatorAccess(overrides));
}

/** `issueLinesOf` for a configuration that is otherwise deployable (operator access added). */
export function deployableIssueLinesOf(overrides: unknown): string[] {
  return issueLinesOf(withOperatorAccess(overrides));
}

/** Each configuration issue of `overrides` as `<setting>: <message>`; none for a valid configuration. */
export function issuesOf(overrides: unknown): string[] {
  return configIssuesOf(overrides).map((i) => `${i.setting}: ${i.message}`);
}

/** Each configuration issue of `overrides` as the error reports it, `<setting>: <message> (got <value>)`. */
export function issueLinesOf(overrides: unknown): string[] {
  return configIssuesOf(overrides).map(formatIssue);
}

function configIssuesOf(overrides: unknown): ConfigIssue[] {
  try {
    resolveConfig(overrides);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, withOperatorAccess } from './helpers';

/**
 * The Nx `synth` target for real: its cache key must follow the content of the config file
 * CRDB_ORY_CONFIG names, not just the variable's value. Runs in this workspace with its own
 * cache folder and its own output folder (under the git-ignored cdktf.out/), so neither the
 * user's cache nor their cdktf.out/stacks are touched.
 */
const cacheDir = mkdtempSync(join(tmpdir(), 'crdb-ory-nx-cache-'));
const configDir = mkdtempSync(join(tmpdir(), 'crdb-ory-nx-config-'));
const outdir = `cdktf.out/.nx-cache-test-${process.pid}`;
afterAll(() => {
  for (const dir of [cacheDir, configDir, join(WORKSPACE_ROOT, outdir)]) rmSync(dir, { recursive: true, force: true });
});

function synthWithNx(config: unknown): { output: string; natGateways: number } {
  const file = join(configDir, 'x.json');
  writeFileSync(file, JSON.stringify(withOperatorAccess(config)));
  // Caching is what this test is about: CI's NX_SKIP_NX_CACHE must not reach this Nx.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NX_SKIP_NX_CACHE'];
  const run = spawnSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'run', '@crdb-ory/us-east-1:synth', `--outdir=${outdir}`, '--outputStyle=stream'], {
    cwd: WORKSPACE_ROOT,
    env: { ...env, CRDB_ORY_CONFIG: file, NX_CACHE_DIRECTORY: cacheDir, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status, output).toBe(0);
  const network = JSON.parse(readFileSync(join(WORKSPACE_ROOT, outdir, 'stacks', 'network', 'cdk.tf.json'), 'utf8'));
  return { output, natGateways: Object.keys(network.resource.aws_nat_gateway).length };
}

const replayed = (output: string) => /Nx read the output from the cache instead of running the command for 1 out of 1 tasks/.test(output);

describe('nx run @crdb-ory/us-east-1:synth (cached)', () => {
  it('synthesizes again when the config file changes, and replays a synthesis of the same content', () => {
    const single = synthWithNx({ network: { natGateways: 'single' } });
    expect(single.natGateways).toBe(2);
    expect(replayed(single.output)).toBe(false);

    const again = synthWithNx({ network: { natGateways: 'single' } });
    expect(replayed(again.output)).toBe(true);
    expect(again.natGateways).toBe(2);

    // Same variable, same file name, new content: the old synthesis must not come back.
    const perAz = synthWithNx({ network: { natGateways: 'per-az' } });
    expect(replayed(perAz.output)).toBe(false);
    expect(perAz.natGateways).toBe(6);
  }, 300_000);
});

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain, tempDir } from './helpers';

describe('the app as a process (npm run synth)', () => {
  it('writes every stack with the defaults, with no credentials, and prints the synthesis warnings', () => {
    const outdir = join(tempDir('main-ok'), 'cdktf.out');
    const { status, stderr } = runMain({}, outdir);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warning: \[cockroach\] No CockroachDB license secret is configured/),
      expect.stringMatching(/^warning: \[eks\] Nobody can reach the Kubernetes API/),
      expect.stringMatching(/^warning: \[network\] Nobody is subscribed to the alarm topic/),
      expect.stringMatching(/^warning: \[ory\] clusterApiAccess admits no network to the Kubernetes API/),
      expect.stringMatching(/^warning: \[ory\] Ory runs in NON-PRODUCTION mode/),
    ]);
    expect(status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['cockroach', 'cockroach-backup', 'cockroach-pki', 'eks', 'network', 'ory', 'state']);
    expect(existsSync(join(outdir, 'stacks', 'network', 'cdk.tf.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks).toHaveProperty('network');
  });

  it('exits non-zero on a bad configuration, names the problem and writes nothing', () => {
    const parent = tempDir('main-bad');
    const outdir = join(parent, 'cdktf.out');
    const { status, stderr } = runMain({ availabilityZones: ['us-east-1a', 'us-east-1b'] }, outdir);
    expect(status).toBe(2);
    expect(stderr).toContain('availabilityZones: must list exactly 3 availability zones');
    expect(stderr).toContain('(got ["us-east-1a","us-east-1b"])');
    expect(stderr).toContain('Nothing was synthesized.');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('leaves a previous synthesis untouched when the configuration is bad', () => {
    const outdir = join(tempDir('main-keep'), 'cdktf.out');
    mkdirSync(join(outdir, 'stacks'), { recursive: true });
    writeFileSync(join(outdir, 'manifest.json'), 'previous');
    const { status } = runMain('{ "network": ', outdir);
    expect(status).toBe(2);
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('previous');
    expect(readdirSync(join(outdir, '..'))).toEqual(['cdktf.out']);
  });
});

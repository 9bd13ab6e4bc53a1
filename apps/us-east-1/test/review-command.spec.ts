import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terraformRequired } from '../src/review/terraform-required';

const ROOT = resolve(__dirname, '../../..');

function withoutConfigFile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CRDB_ORY_CONFIG: _ignored, ...rest } = env;
  return rest;
}

describe('review command', () => {
  it('requires the Terraform checks in CI unless explicitly allowed', () => {
    expect(terraformRequired({ CI: 'true' })).toBe(true);
    expect(terraformRequired({ CI: 'true', CRDB_ORY_REVIEW_ALLOW_UNCHECKED: '1' })).toBe(false);
    expect(terraformRequired({})).toBe(false);
    expect(terraformRequired({ CI: 'false' })).toBe(false);
  });

  it('synthesizes the default configuration, writes review.md and exits 0', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'review-cmd-')), 'cdktf.out');
    try {
      const run = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--import', 'tsx', 'apps/us-east-1/src/review/main.ts'], {
        cwd: ROOT,
        env: withoutConfigFile({ ...process.env, CDKTF_OUTDIR: outdir }),
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Offline review: Terraform checked');
      expect(existsSync(join(outdir, 'review.md'))).toBe(true);
      expect(readFileSync(join(outdir, 'review.md'), 'utf8')).toContain('# Offline review');
      // Every aws-only stack passes init, validate and its mocked apply; the others are named, never passed.
      for (const stack of ['state', 'network', 'cockroach-backup', 'cockroach', 'eks']) {
        expect(run.stdout).toMatch(new RegExp(`^- ${stack}: passed\\n\\s+resources:[^\\n]*\\n[^\\n]*\\n\\s+terraform: init ok [\\d.]+s, validate ok [\\d.]+s, test ok`, 'm'));
      }
      expect(run.stdout).toContain('- cockroach-pki: not checked by Terraform: hashicorp/tls unavailable');
      expect(run.stdout).toContain('- ory: not checked by Terraform: hashicorp/helm, hashicorp/kubernetes, hashicorp/random unavailable');
      // ... but Helm renders and lints its Ory releases on the real charts; the controller's chart is not here.
      expect(run.stdout).toMatch(/^- ory: not checked by Terraform: [^\n]*; rendered by Helm 3\.17\.2: 3 of 4 releases, \d+ manifests, lint clean$/m);
      expect(readFileSync(join(outdir, 'review.md'), 'utf8')).toContain('aws-load-balancer-controller 1.14.0 from https://aws.github.io/eks-charts): not rendered, its chart package is not available here');
      expect(run.stdout).toContain('Terraform checked 5 of 7 stacks');
    } finally {
      rmSync(resolve(outdir, '..'), { recursive: true, force: true });
    }
  }, 250_000);
});

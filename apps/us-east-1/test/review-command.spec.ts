import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terraformRequired } from '@crdb-ory/review';
import { NODE_TS_ARGS, WORKSPACE_ROOT, tempDir } from './helpers';

/**
 * Not the defaults: another region, another EKS cluster name, an S3 state backend, a domain,
 * public CIDRs, a single NAT gateway, DB Console admin CIDRs (a VPN range outside both VPCs, a
 * declared opt-in) and operator access to the EKS API (without it a non-default configuration is
 * a config error).
 */
const NON_DEFAULT = {
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  namePrefix: 'acme-idp',
  stateBackend: { type: 's3', bucket: 'acme-idp-tfstate-123456789012-eu-west-1' },
  domain: 'idp.example.com',
  publicAccessCidrs: ['203.0.113.0/24'],
  network: { privateZoneName: 'db.acme.internal', natGateways: 'single' },
  cockroach: { adminCidrs: ['192.168.0.0/24'] },
  eks: { clusterName: 'idp', endpointPrivateAccessCidrs: ['192.168.0.0/24'] },
};

const dir = tempDir('review-cmd');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function review(config: unknown): { status: number | null; stdout: string; stderr: string; report: string } {
  const configFile = join(dir, 'acme.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const outdir = join(dir, 'cdktf.out');
  const run = spawnSync(process.execPath, [...NODE_TS_ARGS, 'apps/us-east-1/src/review/main.ts', `--outdir=${outdir}`], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, CRDB_ORY_CONFIG: configFile },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, report: readFileSync(join(outdir, 'review.md'), 'utf8') };
}

describe('review command', () => {
  it('requires the Terraform checks in CI unless explicitly allowed', () => {
    expect(terraformRequired({ CI: 'true' })).toBe(true);
    expect(terraformRequired({ CI: 'true', CRDB_ORY_REVIEW_ALLOW_UNCHECKED: '1' })).toBe(false);
    expect(terraformRequired({})).toBe(false);
    expect(terraformRequired({ CI: 'false' })).toBe(false);
  });

  it('passes on a non-default configuration, its upstream mocks derived from it, and says what it reviewed', () => {
    const run = review(NON_DEFAULT);
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    for (const stack of ['state', 'network', 'cockroach-backup', 'cockroach', 'eks']) expect(run.stdout).toMatch(new RegExp(`^- ${stack}: passed \\((\\d+) of \\1 assertions held\\)`, 'm'));
    expect(run.stdout).toContain('- cockroach-pki: not checked: hashicorp/tls unavailable');
    expect(run.stdout).toContain('- ory: not checked: hashicorp/helm, hashicorp/kubernetes, hashicorp/random unavailable');
    // ... but Helm renders and lints its Ory releases on the real charts; the controller's chart is not here.
    expect(run.stdout).toMatch(/^- ory: not checked: [^\n]*; rendered by Helm 3\.17\.2: 3 of 4 releases, \d+ manifests, lint clean/m);
    expect(run.report).toMatch(/^\| ory \| \d+ \| not checked: [^|]* \| - \| rendered by Helm 3\.17\.2: 3 of 4 releases, \d+ manifests, lint clean \|/m);
    expect(run.stdout).toContain('REVIEW PASSED for the 5 of 7 stacks Terraform checked');

    const { report } = run;
    expect(report).toMatch(/\| Configuration \| acme\.config\.json \(outside the project\) \(named by CRDB_ORY_CONFIG\), sha256 [0-9a-f]{12} \|/);
    expect(report).toContain('| Region | eu-west-1 |');
    expect(report).toMatch(/\| Commit \| ([0-9a-f]{12}( with uncommitted changes)?|unknown \(not a git checkout\)) \|/);
    expect(report).toMatch(/\| Date \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \|/);
    expect(report).toContain('- **cockroach**: No CockroachDB license secret is configured');
    expect(report).not.toContain('NON-PRODUCTION');
    // The eks stack passed: its precondition compares the network stack's cluster name (derived from this configuration) with its own, "idp" both.
    // What a reviewer decides on: what differs from the defaults, what it exposes and to whom.
    expect(report).toContain('| `network.natGateways` | `"single"` **one NAT gateway per VPC: losing its AZ cuts the egress of every private subnet** | `"ory-per-az"` |');
    expect(report).toContain('| `domain` | `"idp.example.com"` | `none` |');
    // eks.clusterName has no fixed default any more: unset, it derives from namePrefix (`ory` for the default prefix).
    expect(report).toContain('| `eks.clusterName` | `"idp"` | `none` |');
    expect(report).toMatch(/^- \*\*internet\*\*: ory, HTTPS 443 of hydra-public \(hydra\.idp\.example\.com\) \(internet-facing ALB\), from `203\.0\.113\.0\/24`/m);
    expect(report).toMatch(/^- other networks: cockroach, port 8080, from `192\.168\.0\.0\/24`/m);
    const nat = Object.keys(JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'network', 'cdk.tf.json'), 'utf8')).resource.aws_nat_gateway).length;
    expect(report).toMatch(new RegExp(`^\\| NAT gateways \\| ${nat} \\| .* \\| network \\|$`, 'm'));
    expect(report.trimEnd().split('\n').length).toBeLessThan(150);
    expect(report).not.toMatch(/(^|[\s(`"'])\/(opt|tmp|usr|srv|root|home|work)\//m);
  }, 300_000);
});

import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ProductStack } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { App } from 'cdktf';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentConfig, resolveConfig } from '../src/config';
import { buildStacks } from '../src/stacks';
import { synthesizeAll } from '../src/synthesize';
import { withOperatorAccess } from './helpers';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-policy-'));
  temps.push(dir);
  return dir;
}
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const CONFIG = resolveConfig(undefined);

/** The real stacks plus one extra stack built by `extra`. */
function withExtraStack(extra: (stack: ProductStack) => void) {
  return (app: App, config: DeploymentConfig): void => {
    buildStacks(app, config);
    const stack = new ProductStack(app, 'extra', { stateBackend: { type: 'local' } });
    new AwsProvider(stack, 'aws', { region: config.region });
    extra(stack);
  };
}

const sqlIngress = (cidrBlocks: string[]) => ({ ingress: [{ fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks }] });

describe('policy gate in the app synthesis', () => {
  it('fails synthesis of a stack with a security group open to the world on 26257, naming the rules, and keeps the previous output', () => {
    const outdir = join(tempDir(), 'cdktf.out');
    synthesizeAll(CONFIG, outdir);
    writeFileSync(join(outdir, 'marker'), 'previous synthesis');
    const broken = withExtraStack((stack) => new SecurityGroup(stack, 'sql', sqlIngress(['0.0.0.0/0'])));
    expect(() => synthesizeAll(CONFIG, outdir, broken)).toThrow(/CRDB-SG-001 aws_security_group\.sql \(extra\/sql\)[\s\S]*CRDB-SG-002/);
    expect(readFileSync(join(outdir, 'marker'), 'utf8')).toBe('previous synthesis');
    expect(existsSync(join(outdir, 'stacks', 'extra'))).toBe(false);
  });

  it('passes 26257 from the Ory VPC read through the network contract and from a CIDR inside the configured CockroachDB VPC', () => {
    const outdir = join(tempDir(), 'cdktf.out');
    const build = withExtraStack((stack) => {
      const network = stack.readUpstream(NETWORK_OUTPUTS);
      new SecurityGroup(stack, 'sql', sqlIngress([network.oryVpcCidr, '10.10.10.0/24']));
    });
    const result = synthesizeAll(CONFIG, outdir, build);
    const findings = Object.fromEntries(result.policy.map((report) => [report.stackName, report.findings.length]));
    expect(findings).toHaveProperty('extra', 0);
    expect(Object.values(findings).every((count) => count === 0)).toBe(true);
    expect(existsSync(join(outdir, 'stacks', 'extra', 'cdk.tf.json'))).toBe(true);
  });

  it('rejects a CIDR outside both configured VPCs for 26257', () => {
    const build = withExtraStack((stack) => new SecurityGroup(stack, 'sql', sqlIngress(['10.30.0.0/16'])));
    expect(() => synthesizeAll(CONFIG, join(tempDir(), 'cdktf.out'), build)).toThrow(/CRDB-SG-002[^\n]*10\.30\.0\.0\/16/);
  });

  it('accepts the documented admin CIDR example (a VPN outside both VPCs) on the DB Console: a declared opt-in', () => {
    const outdir = join(tempDir(), 'cdktf.out');
    const config = resolveConfig(withOperatorAccess({ cockroach: { adminCidrs: ['192.168.0.0/24'] } }));
    const result = synthesizeAll(config, outdir);
    expect(result.policy.find((report) => report.stackName === 'cockroach')?.findings).toEqual([]);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'cockroach', 'cdk.tf.json'), 'utf8'));
    expect(Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.cidr_ipv4 === '192.168.0.0/24').map((r) => r.from_port)).toEqual([8080]);
  });

  it('still rejects the same network on SQL, where it is not declared', () => {
    const config = resolveConfig(withOperatorAccess({ cockroach: { adminCidrs: ['192.168.0.0/24'] } }));
    const build = withExtraStack((stack) => new SecurityGroup(stack, 'sql', sqlIngress(['192.168.0.0/24'])));
    expect(() => synthesizeAll(config, join(tempDir(), 'cdktf.out'), build)).toThrow(/CRDB-SG-002[^\n]*26257 open to 192\.168\.0\.0\/24/);
  });

  it('never advises turning validation off', () => {
    const broken = withExtraStack((stack) => new SecurityGroup(stack, 'sql', sqlIngress(['0.0.0.0/0'])));
    let message = '';
    try {
      synthesizeAll(CONFIG, join(tempDir(), 'cdktf.out'), broken);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('CRDB-SG-001');
    expect(message).not.toMatch(/skipValidation|ignore these validations/i);
  });
});

import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRDB_ORY_PACK, PolicyGate, StackValidationError, evaluateStack, suppressRule } from '../src';
import { CONTEXT, fixtureStack } from './fixture';

const OPEN_26257 = { ingress: [{ fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] };

describe('policy engine', () => {
  it('every rule of the pack has a unique id, a description and a severity', () => {
    const ids = CRDB_ORY_PACK.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of CRDB_ORY_PACK.rules) {
      expect(rule.id).toMatch(/^CRDB-[A-Z0-9]+-\d{3}$/);
      expect(rule.description.length).toBeGreaterThan(20);
    }
  });

  it('a suppression moves the finding of that rule (only) to the suppressed list, with its reason', () => {
    const stack = fixtureStack();
    const sg = new SecurityGroup(stack, 'sg', OPEN_26257);
    suppressRule(sg, 'CRDB-SG-001', 'fixture: world access is the point of this test');
    const report = evaluateStack(stack, CRDB_ORY_PACK, CONTEXT);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['CRDB-SG-002']);
    expect(report.suppressed).toEqual([expect.objectContaining({ ruleId: 'CRDB-SG-001', reason: 'fixture: world access is the point of this test' })]);
  });

  it('refuses a suppression without a rule id or a reason', () => {
    const stack = fixtureStack();
    expect(() => suppressRule(stack, 'sg-001', 'a good enough reason')).toThrow(/not a rule id/);
    expect(() => suppressRule(stack, 'CRDB-SG-001', 'because')).toThrow(/reason/);
  });

  /** An app in a temp outdir with a stack `broken` holding a security group open to the world on 26257. */
  function withBrokenApp(test: (app: App, broken: TerraformStack, outdir: string) => void): void {
    const outdir = mkdtempSync(join(tmpdir(), 'policy-gate-'));
    try {
      const app = new App({ outdir });
      const broken = new TerraformStack(app, 'broken');
      new AwsProvider(broken, 'aws', { region: 'us-east-1' });
      new SecurityGroup(broken, 'nodes', OPEN_26257);
      test(app, broken, outdir);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  it('fails app.synth() on a stack with a security group open to the world on 26257, naming rule and path, writing nothing', () => {
    withBrokenApp((app, _broken, outdir) => {
      const gate = new PolicyGate(CRDB_ORY_PACK, CONTEXT).applyTo(app);
      expect(() => app.synth()).toThrow(/CRDB-SG-001 aws_security_group\.nodes[^\n]*\(broken\/nodes\)[\s\S]*fix:[\s\S]*CRDB-SG-002/);
      expect(existsSync(join(outdir, 'stacks', 'broken', 'cdk.tf.json'))).toBe(false);
      expect(gate.results()[0]?.findings.map((f) => f.ruleId)).toEqual(['CRDB-SG-001', 'CRDB-SG-002']);
    });
  });

  it('reports the failures of its stacks (its own and other constructs\' validations) without advising to skip validation', () => {
    withBrokenApp((app, broken) => {
      broken.node.addValidation({ validate: () => ['another check failed'] });
      new PolicyGate(CRDB_ORY_PACK, CONTEXT).applyTo(app);
      let error: unknown;
      try {
        app.synth();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StackValidationError);
      const message = (error as Error).message;
      expect(message).toMatch(/^Stack "broken" failed validation/);
      expect(message).toContain('[broken] another check failed');
      expect(message).toContain('CRDB-SG-001 aws_security_group.nodes');
      expect(message).not.toMatch(/skipValidation|skip validation|ignore these validations/i);
    });
  });
});

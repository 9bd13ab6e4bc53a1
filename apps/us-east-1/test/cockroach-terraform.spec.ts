import { OutputsContract, describeContract, remoteStateId } from '@crdb-ory/core';
import { AWS_PROVIDER, findProviderMirror, runTerraform, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COCKROACH_REVIEW, COCKROACH_STACK_NAME } from '@crdb-ory/cockroach';
import { Testing, TerraformStack } from 'cdktf';
import { resolveConfig } from '../src/config';
import { buildStacks } from '../src/stacks';

/** The `cockroach` stack exactly as the app composes it from the default configuration. */
function synthCockroachStack(): Record<string, any> {
  const app = Testing.app();
  buildStacks(app, resolveConfig(undefined));
  return JSON.parse(Testing.synth(app.node.findChild(COCKROACH_STACK_NAME) as TerraformStack));
}

/** `override_data` for an upstream stack's remote state, from its contract's examples. */
function overrideRemoteState(contract: OutputsContract): string {
  const outputs = Object.fromEntries(describeContract(contract).map((o) => [o.name, o.example]));
  return `override_data {\n  target = data.terraform_remote_state.${remoteStateId(contract.stackName)}\n  values = { outputs = ${JSON.stringify(outputs)} }\n}\n`;
}

/**
 * Mocked values the aws provider still validates where they are used: policy documents must be
 * JSON policies and load balancer ARNs must be ARNs.
 */
const MOCK_AWS = `mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = ${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: [] }))} }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/crdb-ory-sql/0a1b2c3d4e5f6000" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/crdb-ory-sql-nodes/0a1b2c3d4e5f6000" }
  }
}
`;

/** Terraform echoes the whole JSON config on errors: keep failure messages readable. */
function summary(output: string): string {
  return output.replace(/^\s+\d+: \{.*$/gm, '  <config line elided>').slice(0, 4000);
}

function testFile(stack: Record<string, any>): string {
  const asserts = COCKROACH_REVIEW.assertions(stack)
    .map((a) => `  assert {\n    condition     = ${a.condition}\n    error_message = ${JSON.stringify(a.errorMessage)}\n  }\n`)
    .join('');
  return [MOCK_AWS, ...COCKROACH_REVIEW.upstream.map(overrideRemoteState), `run "mocked_apply" {\n  command = apply\n${asserts}}\n`].join('\n');
}

describe('cockroach stack: offline Terraform (aws provider from the local mirror)', () => {
  const stack = synthCockroachStack();
  const dir = mkdtempSync(join(tmpdir(), 'crdb-tf-'));
  let cliConfigFile: string;

  beforeAll(() => {
    const mirror = findProviderMirror(AWS_PROVIDER);
    if (!mirror) throw new Error('No filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR).');
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack));
    cliConfigFile = writeMirrorCliConfig(dir, mirror, [AWS_PROVIDER]);
    const init = runTerraform(['init', '-backend=false'], { cwd: dir, cliConfigFile });
    expect(init.output).toContain('Terraform has been successfully initialized');
  }, 120_000);

  it('validates', () => {
    const result = runTerraform(['validate'], { cwd: dir, cliConfigFile });
    expect(summary(result.output)).toContain('The configuration is valid');
    expect(result.ok).toBe(true);
  }, 120_000);

  it('passes a mocked apply with the review assertions (terraform test)', () => {
    mkdirSync(join(dir, 'tests'), { recursive: true });
    writeFileSync(join(dir, 'tests', 'review.tftest.hcl'), testFile(stack));
    const result = runTerraform(['test'], { cwd: dir, cliConfigFile, timeoutSeconds: 300 });
    expect(summary(result.output)).toMatch(/1 passed, 0 failed/);
    expect(result.ok).toBe(true);
  }, 300_000);

  it('a mocked apply fails when an assertion does not hold (the check is real)', () => {
    const broken = structuredClone(stack);
    const lb = Object.values<any>(broken.resource.aws_lb)[0];
    lb.internal = false;
    const brokenDir = mkdtempSync(join(tmpdir(), 'crdb-tf-broken-'));
    writeFileSync(join(brokenDir, 'cdk.tf.json'), JSON.stringify(broken));
    mkdirSync(join(brokenDir, 'tests'));
    writeFileSync(join(brokenDir, 'tests', 'review.tftest.hcl'), testFile(broken));
    const cli = writeMirrorCliConfig(brokenDir, findProviderMirror(AWS_PROVIDER)!, [AWS_PROVIDER]);
    expect(runTerraform(['init', '-backend=false'], { cwd: brokenDir, cliConfigFile: cli }).ok).toBe(true);
    const result = runTerraform(['test'], { cwd: brokenDir, cliConfigFile: cli, timeoutSeconds: 300 });
    expect(result.ok).toBe(false);
    expect(summary(result.output)).toContain('the SQL load balancer is internal');
  }, 300_000);
});

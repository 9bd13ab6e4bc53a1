import { describeContract, remoteStateId, type MockDefaults, type StackReview, type SynthesizedStackJson } from '@crdb-ory/core';
import { AWS_PROVIDER, findProviderMirror, runTerraform, terraformAvailable, writeMirrorCliConfig, type TerraformResult } from '@crdb-ory/terraform-harness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A `terraform test` file for a mocked apply: the aws provider mocked, every upstream stack's
 * remote state overridden with its contract's examples, the review's assertions in one run.
 */
export function mockedApplyTest(review: StackReview, stack: SynthesizedStackJson): string {
  const mocks = [
    ...mockBlocks('mock_resource', review.mockResources ?? {}),
    ...mockBlocks('mock_data', review.mockData ?? {}),
  ];
  const overrides = review.upstream.map((contract) => {
    const outputs = Object.fromEntries(describeContract(contract).map((output) => [output.name, output.example]));
    return [
      'override_data {',
      `  target = data.terraform_remote_state.${remoteStateId(contract.stackName)}`,
      `  values = { outputs = ${JSON.stringify(outputs)} }`,
      '}',
    ].join('\n');
  });
  const asserts = review.assertions(stack).map((a) => ['  assert {', `    condition     = ${a.condition}`, `    error_message = ${JSON.stringify(a.errorMessage)}`, '  }'].join('\n'));
  return ['mock_provider "aws" {', ...mocks, '}', ...overrides, 'run "mocked_apply" {', '  command = apply', ...asserts, '}', ''].join('\n');
}

/** A scratch folder holding the stack's JSON and a CLI config that takes the aws provider from the local mirror. */
export function terraformWorkspace(stack: SynthesizedStackJson): { dir: string; run: (args: string[]) => TerraformResult } {
  if (!terraformAvailable()) throw new Error('terraform is not on PATH: the offline checks cannot run.');
  const mirror = findProviderMirror(AWS_PROVIDER);
  if (!mirror) throw new Error(`No filesystem mirror of hashicorp/aws ${AWS_PROVIDER.version} found: the offline checks cannot run.`);
  const dir = mkdtempSync(join(tmpdir(), 'eks-stack-'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  const cliConfigFile = writeMirrorCliConfig(dir, mirror, [AWS_PROVIDER]);
  return { dir, run: (args) => runTerraform(args, { cwd: dir, cliConfigFile }) };
}

function mockBlocks(kind: 'mock_resource' | 'mock_data', defaults: MockDefaults): string[] {
  return Object.entries(defaults).map(([type, values]) => `  ${kind} ${JSON.stringify(type)} {\n    defaults = ${JSON.stringify(values)}\n  }`);
}

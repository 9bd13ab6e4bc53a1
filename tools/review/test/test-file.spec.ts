import { describe, expect, it } from 'vitest';
import { hclValue, renderTestFile } from '../src';

describe('renderTestFile', () => {
  it('mocks every provider and alias, overrides remote state and renders assertions', () => {
    const text = renderTestFile(
      [{ localName: 'aws', namespace: 'hashicorp', type: 'aws', version: '5.100.0', aliases: ['peer'] }],
      [{ dataSource: 'remote-state-net', outputs: { vpc_id: 'vpc-1', cidrs: ['10.0.0.0/24'], port: 26257 }, derived: [] }],
      [{ condition: 'aws_lb.sql.internal == true', errorMessage: 'the "SQL" load balancer is internal' }],
    );
    expect(text).toContain('mock_provider "aws" {}');
    expect(text).toContain('mock_provider "aws" {\n  alias = "peer"\n}');
    expect(text).toContain('target = data.terraform_remote_state.remote-state-net\n  values = { outputs = { "vpc_id" = "vpc-1", "cidrs" = ["10.0.0.0/24"], "port" = 26257 } }');
    expect(text).toContain('condition     = aws_lb.sql.internal == true\n    error_message = "the \\"SQL\\" load balancer is internal"');
    expect(text).toContain('command = apply');
  });

  it('overrides other data sources with the review\'s mock data', () => {
    const text = renderTestFile([], [], [], { 'data.aws_availability_zones.available': { names: ['us-east-1a'] } });
    expect(text).toContain('override_data {\n  target = data.aws_availability_zones.available\n  values = { "names" = ["us-east-1a"] }\n}');
  });

  it('plans, expecting exactly the given precondition failures, when the stack must stop at plan time', () => {
    const text = renderTestFile([], [], [{ condition: 'x', errorMessage: 'y' }], {}, undefined, ['aws_eks_cluster.c'], './stacks/eks');
    expect(text).toContain('run "plan_stops_as_designed" {\n  command = plan\n  module {\n    source = "./stacks/eks"\n  }\n  expect_failures = [aws_eks_cluster.c]\n}');
    expect(text).not.toContain('assert {');
  });

  it('escapes template sequences in example values', () => {
    expect(hclValue('${var.x} %{ if }')).toBe('"$${var.x} %%{ if }"');
  });
});

describe('published parameters in the test file', () => {
  it('overrides each aws_ssm_parameter read with the JSON of its output, in value and insecure_value', () => {
    const file = renderTestFile([], [{ channel: 'ssm-parameters', dataSource: 'keys', parameters: { node_secret_arns: 'published-keys-node_secret_arns' }, outputs: { node_secret_arns: ['arn:a', 'arn:b'] }, derived: [] }], []);
    expect(file).toContain('override_data {\n  target = data.aws_ssm_parameter.published-keys-node_secret_arns\n  values = { value = "[\\"arn:a\\",\\"arn:b\\"]", insecure_value = "[\\"arn:a\\",\\"arn:b\\"]" }\n}');
    expect(file).not.toContain('terraform_remote_state');
  });
});

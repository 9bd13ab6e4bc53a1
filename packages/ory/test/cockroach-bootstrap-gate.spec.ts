import { BOOTSTRAP_PENDING_VALUE, bootstrapCompleteCondition } from '@crdb-ory/cockroach';
import { GO_RUNTIME_ENV, AWS_PROVIDER, findProviderMirror, runTerraform, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthOry } from './support/synth-ory';

const { json } = synthOry();
const GATE = 'cockroach-bootstrap-status';
const gate = (json.data.aws_ssm_parameter as Record<string, any>)[GATE];
const PARAMETER = '/crdb-ory/cockroach/bootstrap-status';

describe('the ory plan waits for the CockroachDB bootstrap (the bootstrap status parameter)', () => {
  it('reads the parameter the cockroach stack publishes, and checks it says complete', () => {
    // Beside the gate, the stack reads only what cockroach-pki publishes (its outputs contract, issue 21).
    expect(Object.keys(json.data.aws_ssm_parameter).filter((name) => !name.startsWith('published-cockroach-pki-'))).toEqual([GATE]);
    expect(gate.name).toBe('${data.terraform_remote_state.remote-state-cockroach.outputs.bootstrap_status_parameter}');
    expect(gate.lifecycle.postcondition).toEqual([
      { condition: `\${${bootstrapCompleteCondition('self.insecure_value')}}`, error_message: expect.stringContaining("CockroachDB's bootstrap has not finished (SSM parameter ${self.name}") },
    ]);
  });

  it('creates everything in the cluster after it: the namespace, which the Secrets and releases follow', () => {
    const namespace = Object.values(json.resource.kubernetes_namespace_v1 as Record<string, any>)[0];
    expect(namespace.depends_on).toEqual([`data.aws_ssm_parameter.${GATE}`]);
    for (const secret of Object.values(json.resource.kubernetes_secret_v1 as Record<string, any>)) expect(JSON.stringify(secret.metadata)).toContain('kubernetes_namespace_v1.ory-namespace');
  });
});

/**
 * The ory stack cannot be initialized here (kubernetes and helm providers), but its gate is an
 * aws data source: the synthesized block runs under real Terraform, with the mocked aws provider
 * answering the parameter's value, as it is before and after the bootstrap.
 */
describe('the gate under real Terraform (terraform test, mocked aws provider)', () => {
  const mirror = findProviderMirror(AWS_PROVIDER);
  const dir = mkdtempSync(join(tmpdir(), 'ory-bootstrap-gate-'));
  let output = '';
  beforeAll(() => {
    if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR)');
    const config = {
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
      provider: { aws: [{ region: 'us-east-1' }] },
      data: { aws_ssm_parameter: { [GATE]: { ...gate, name: PARAMETER } } },
    };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 1));
    mkdirSync(join(dir, 'tests'));
    const run = (name: string, value: string): string =>
      [`run "${name}" {`, '  command = plan', '  override_data {', `    target = data.aws_ssm_parameter.${GATE}`, `    values = { insecure_value = ${JSON.stringify(value)} }`, '  }', '}'].join('\n');
    // One file per value: a run that fails stops the rest of its file.
    const values = { pending: BOOTSTRAP_PENDING_VALUE, complete: 'complete cluster=6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f at=2026-06-12T10:00:00Z', complete_word_only_prefix: 'completed? no' };
    for (const [name, value] of Object.entries(values)) writeFileSync(join(dir, 'tests', `${name}.tftest.hcl`), ['mock_provider "aws" {}', run(name, value)].join('\n\n'));
    const cliConfigFile = writeMirrorCliConfig(dir, mirror, [AWS_PROVIDER]);
    const init = runTerraform(['init', '-backend=false', '-input=false'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV });
    if (!init.ok) throw new Error(`terraform init failed:\n${init.output}`);
    output = runTerraform(['test', '-json'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV, timeoutSeconds: 300 }).output;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const runStatus = (name: string): string | undefined =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>)
      .find((message) => message['type'] === 'test_run' && message['@testrun'] === name && message['test_run']?.['progress'] === 'complete')?.['test_run']?.['status'];

  it('stops the plan while the parameter is pending, saying what to wait for', () => {
    expect(runStatus('pending'), output).toBe('error');
    expect(output).toContain(`CockroachDB's bootstrap has not finished (SSM parameter ${PARAMETER} does not start with \\"complete\\")`);
    expect(output).toContain('journalctl -u cockroach-bootstrap');
  });

  it('plans once the bootstrap has written "complete cluster=<id> at=<time>"', () => {
    expect(runStatus('complete'), output).toBe('pass');
  });

  it('does not take another word for it', () => {
    expect(runStatus('complete_word_only_prefix'), output).toBe('error');
  });
});

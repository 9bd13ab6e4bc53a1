import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EKS_REVIEW } from '../src';
import { synthEks } from './synth';
import { mockedApplyTest, terraformWorkspace } from './terraform-checks';

const ADMINS = { adminPrincipalArns: ['arn:aws:iam::123456789012:role/PlatformAdmin'], endpointPublicAccessCidrs: ['203.0.113.0/24'] };

describe('offline terraform checks of the eks stack (aws provider from the local mirror)', () => {
  const { json } = synthEks(ADMINS);
  const workspace = terraformWorkspace(json);

  beforeAll(() => {
    const init = workspace.run(['init', '-backend=false']);
    if (!init.ok) throw new Error(`terraform init failed:\n${init.output}`);
  });
  afterAll(() => rmSync(workspace.dir, { recursive: true, force: true }));

  it('validates', () => {
    const result = workspace.run(['validate']);
    expect(result.output).toContain('The configuration is valid');
    expect(result.ok).toBe(true);
  });

  it('applies against a mocked aws provider with the network outputs as remote state, meeting every review assertion', () => {
    writeFileSync(join(workspace.dir, 'eks.tftest.hcl'), mockedApplyTest(EKS_REVIEW, json));
    const result = workspace.run(['test']);
    expect(result.output).toContain('1 passed, 0 failed');
    expect(result.ok).toBe(true);
  }, 120_000);
});

describe('the review assertions catch a weakened stack', () => {
  const { json } = synthEks(ADMINS);
  const template = Object.values(json.resource.aws_launch_template)[0] as Record<string, any>;
  template.metadata_options.http_tokens = 'optional';
  const cluster = Object.values(json.resource.aws_eks_cluster)[0] as Record<string, any>;
  cluster.access_config.authentication_mode = 'API_AND_CONFIG_MAP';
  const workspace = terraformWorkspace(json);
  afterAll(() => rmSync(workspace.dir, { recursive: true, force: true }));

  it('fails the mocked apply when IMDSv1 is allowed and the aws-auth ConfigMap is enabled', () => {
    expect(workspace.run(['init', '-backend=false']).ok).toBe(true);
    writeFileSync(join(workspace.dir, 'eks.tftest.hcl'), mockedApplyTest(EKS_REVIEW, json));
    const result = workspace.run(['test']);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Nodes must require IMDSv2.');
    expect(result.output).toContain('The cluster must use API authentication (access entries only).');
  }, 120_000);
});

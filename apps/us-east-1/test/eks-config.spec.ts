import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../src/config';
import { EKS_DEFAULTS } from '../src/config/eks-config';
import { synthesizeAll } from '../src/synthesize';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synthEksJson(overrides: unknown): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'us-east-1-'));
  temps.push(dir);
  synthesizeAll(resolveConfig(overrides), join(dir, 'cdktf.out'));
  return JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'eks', 'cdk.tf.json'), 'utf8'));
}

function issuesOf(overrides: unknown): Array<{ setting: string; message: string }> {
  try {
    resolveConfig(overrides);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  return [];
}

function only(json: Record<string, any>, type: string): Record<string, any> {
  const values = Object.values(json.resource[type]);
  expect(values).toHaveLength(1);
  return values[0] as Record<string, any>;
}

describe('eks config section', () => {
  it('defaults to the reference architecture: cluster "ory", 1.35, m5.xlarge 3/1/4, no admins, private endpoint', () => {
    expect(resolveConfig(undefined).eks).toEqual(EKS_DEFAULTS);
    const json = synthEksJson(undefined);
    expect(only(json, 'aws_eks_cluster')).toMatchObject({ name: 'ory', version: '1.35', vpc_config: { endpoint_public_access: false } });
    expect(only(json, 'aws_eks_node_group')).toMatchObject({ instance_types: ['m5.xlarge'], scaling_config: { desired_size: 3, min_size: 1, max_size: 4 } });
    expect(json.resource.aws_eks_access_entry).toBeUndefined();
  });

  it('passes every eks setting and publicAccessCidrs into the eks stack', () => {
    const admin = 'arn:aws:iam::123456789012:role/PlatformAdmin';
    const json = synthEksJson({
      namePrefix: 'acme',
      publicAccessCidrs: ['198.51.100.0/24'],
      eks: {
        clusterName: 'ory-prod',
        adminPrincipalArns: [admin],
        logRetentionDays: 90,
        addonVersions: { coredns: 'v1.12.4-eksbuild.1' },
        nodeRootVolumeSizeGiB: 80,
        nodeMetadataHopLimit: 2,
      },
    });
    expect(only(json, 'aws_eks_cluster')).toMatchObject({ name: 'ory-prod', vpc_config: { endpoint_public_access: true, public_access_cidrs: ['198.51.100.0/24'] } });
    expect(only(json, 'aws_eks_access_entry').principal_arn).toBe(admin);
    expect(only(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
    expect(Object.values(json.resource.aws_eks_addon).find((a: any) => a.addon_name === 'coredns')).toMatchObject({ addon_version: 'v1.12.4-eksbuild.1' });
    const template = only(json, 'aws_launch_template');
    expect(template.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(template.block_device_mappings[0].ebs.volume_size).toBe(80);
    expect(only(json, 'aws_eks_node_group').node_group_name).toBe('acme-eks-default');
  });

  it.each([
    [{ eks: { adminPrincipalArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] } }, 'eks.adminPrincipalArns[0]', /not an STS session/],
    [{ eks: { adminPrincipalArns: ['arn:aws:iam::123456789012:role/A', 'arn:aws:iam::123456789012:role/A'] } }, 'eks.adminPrincipalArns[1]', /listed twice/],
    [{ eks: { adminPrincipalArns: ['admin'] } }, 'eks.adminPrincipalArns[0]', /must be an IAM role or user ARN/],
    [{ publicAccessCidrs: ['0.0.0.0/0'] }, 'publicAccessCidrs[0]', /EKS API endpoint to the whole internet/],
    [{ eks: { logRetentionDays: 42 } }, 'eks.logRetentionDays', /must be one of the CloudWatch Logs retention periods: 1, 3/],
    [{ eks: { nodeMetadataHopLimit: 3 } }, 'eks.nodeMetadataHopLimit', /must be 1 \(pods cannot reach instance metadata\) or 2/],
    [{ eks: { nodeRootVolumeSizeGiB: 8 } }, 'eks.nodeRootVolumeSizeGiB', /at least 20 GiB/],
    [{ eks: { addonVersions: { coredns: 'latest' } } }, 'eks.addonVersions.coredns', /EKS add-on version like v1\.20\.4-eksbuild\.1/],
    [{ eks: { addonVersions: { ebsCsi: 'v1.0.0-eksbuild.1' } } }, 'eks.addonVersions.ebsCsi', /is not a known setting/],
  ])('rejects %j naming the setting', (overrides, setting, message) => {
    const issue = issuesOf(overrides).find((i) => i.setting === setting);
    expect(issue?.message).toMatch(message);
  });

  it('writes nothing when the eks settings are invalid', () => {
    expect(() => synthEksJson({ eks: { adminPrincipalArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] } })).toThrow(ConfigError);
  });
});

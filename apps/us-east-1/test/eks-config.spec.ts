import { Template } from '@crdb-ory/core/testing';
import { EKS_NO_API_ACCESS_WARNING } from '@crdb-ory/eks';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../src/config';
import { EKS_DEFAULTS } from '@crdb-ory/deployment';
import { synthesizeAll } from '../src/synthesize';
import { OPERATOR_ACCESS, withOperatorAccess } from './helpers';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synthEks(overrides: unknown): { json: Record<string, any>; warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'us-east-1-'));
  temps.push(dir);
  const { warnings } = synthesizeAll(resolveConfig(overrides), join(dir, 'cdktf.out'));
  const json = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'eks', 'cdk.tf.json'), 'utf8'));
  return { json, warnings: warnings.filter((w) => w.stackName === 'eks').map((w) => w.message) };
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


const ADMIN = 'arn:aws:iam::123456789012:role/PlatformAdmin';

describe('eks config section', () => {
  it('defaults to the reference architecture: cluster "ory", 1.35, STANDARD support, m5.xlarge 3/1/4, the deployer as admin, private endpoint', () => {
    expect(resolveConfig(undefined).eks).toEqual(EKS_DEFAULTS);
    const { json } = synthEks(undefined);
    expect(Template.fromJSON(json).only('aws_eks_cluster').config).toMatchObject({ name: 'ory', version: '1.35', upgrade_policy: { support_type: 'STANDARD' }, vpc_config: { endpoint_public_access: false } });
    expect(Template.fromJSON(json).only('aws_eks_node_group').config).toMatchObject({ instance_types: ['m5.xlarge'], scaling_config: { desired_size: 3, min_size: 1, max_size: 4 } });
    expect(Template.fromJSON(json).only('aws_eks_access_entry').config.principal_arn).toMatch(/^\$\{data\.aws_iam_session_context\.\S+\.issuer_arn\}$/);
  });

  it('the defaults synthesize, warn that nobody can reach the API, and carry the plan-time stop', () => {
    const { json, warnings } = synthEks(undefined);
    expect(warnings).toEqual([EKS_NO_API_ACCESS_WARNING]);
    expect(json.locals.kubernetes_api_access).toEqual({ endpoint_public_access_cidrs: [], endpoint_private_access_cidrs: [] });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.lifecycle.precondition.map((p: any) => p.error_message)).toContainEqual(expect.stringContaining('eks.endpointPrivateAccessCidrs and eks.endpointPublicAccessCidrs'));
  });

  it('passes every eks setting into the eks stack; Ory end-user publicAccessCidrs do not open the EKS API', () => {
    const { json, warnings } = synthEks({
      namePrefix: 'acme',
      publicAccessCidrs: ['0.0.0.0/0'],
      eks: {
        clusterName: 'ory-prod',
        kubernetesVersion: '1.34',
        supportType: 'EXTENDED',
        endpointPrivateAccessCidrs: ['10.99.0.0/16'],
        adminPrincipalArns: [ADMIN],
        deployerClusterAdmin: false,
        logRetentionDays: 90,
        addonVersions: { coredns: 'v1.12.4-eksbuild.1' },
        nodeRootVolumeSizeGiB: 80,
        nodeMetadataHopLimit: 2,
      },
    });
    expect(warnings).toEqual([]);
    expect(Template.fromJSON(json).only('aws_eks_cluster').config).toMatchObject({ name: 'ory-prod', version: '1.34', upgrade_policy: { support_type: 'EXTENDED' }, vpc_config: { endpoint_public_access: false } });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config.public_access_cidrs).toBeUndefined();
    expect(Template.fromJSON(json).only('aws_vpc_security_group_ingress_rule').config).toMatchObject({ cidr_ipv4: '10.99.0.0/16', from_port: 443, to_port: 443 });
    expect(Template.fromJSON(json).only('aws_eks_access_entry').config.principal_arn).toBe(ADMIN);
    expect(json.data.aws_iam_session_context).toBeUndefined();
    expect(Template.fromJSON(json).only('aws_cloudwatch_log_group').config.retention_in_days).toBe(90);
    expect(Object.values(json.resource.aws_eks_addon).find((a: any) => a.addon_name === 'coredns')).toMatchObject({ addon_version: 'v1.12.4-eksbuild.1' });
    const template = Template.fromJSON(json).only('aws_launch_template').config;
    expect(template.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(template.block_device_mappings[0].ebs.volume_size).toBe(80);
    expect(Template.fromJSON(json).only('aws_eks_node_group').config.node_group_name).toBe('acme-eks-default');
  });

  it('patches the nodes with the AMI release AWS recommends, or the one eks.nodeReleaseVersion pins', () => {
    expect(Template.fromJSON(synthEks({}).json).only('aws_eks_node_group').config.release_version).toMatch(/^\$\{data\.aws_ssm_parameter\.[\w-]+\.insecure_value\}$/);
    expect(Template.fromJSON(synthEks(withOperatorAccess({ eks: { nodeReleaseVersion: '1.35.0-20260115' } })).json).only('aws_eks_node_group').config.release_version).toBe('1.35.0-20260115');
  });

  it('opens a public API endpoint only for eks.endpointPublicAccessCidrs', () => {
    const { json } = synthEks({ eks: { endpointPublicAccessCidrs: ['198.51.100.7/32'] } });
    expect(Template.fromJSON(json).only('aws_eks_cluster').config.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['198.51.100.7/32'] });
  });

  it.each([
    [{ eks: { adminPrincipalArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] } }, 'eks.adminPrincipalArns[0]', /not an STS session/],
    [{ eks: { adminPrincipalArns: [ADMIN, ADMIN] } }, 'eks.adminPrincipalArns[1]', /listed twice/],
    [{ eks: { adminPrincipalArns: ['admin'] } }, 'eks.adminPrincipalArns[0]', /must be an IAM role or user ARN/],
    [{ eks: { endpointPublicAccessCidrs: ['0.0.0.0/0'] } }, 'eks.endpointPublicAccessCidrs[0]', /would open the public API endpoint to the whole internet/],
    [{ eks: { endpointPublicAccessCidrs: ['10.0.0.0/16'] } }, 'eks.endpointPublicAccessCidrs[0]', /includes 10\.0\.0\.0\/8 \(private \(RFC 1918\)\), which EKS refuses on the public endpoint/],
    [{ eks: { endpointPrivateAccessCidrs: ['0.0.0.0/0'] } }, 'eks.endpointPrivateAccessCidrs[0]', /would admit every address to the private API endpoint/],
    [{ eks: { endpointPrivateAccessCidrs: ['10.99.0.1/16'] } }, 'eks.endpointPrivateAccessCidrs[0]', /host bits set/],
    [{ eks: { logRetentionDays: 42 } }, 'eks.logRetentionDays', /must be one of the CloudWatch Logs retention periods: 1, 3/],
    [{ eks: { nodeMetadataHopLimit: 3 } }, 'eks.nodeMetadataHopLimit', /must be 1 \(pods cannot reach instance metadata\) or 2/],
    [{ eks: { nodeRootVolumeSizeGiB: 8 } }, 'eks.nodeRootVolumeSizeGiB', /at least 20 GiB/],
    [{ eks: { addonVersions: { coredns: 'latest' } } }, 'eks.addonVersions.coredns', /EKS add-on version like v1\.20\.4-eksbuild\.1/],
    [{ eks: { addonVersions: { ebsCsi: 'v1.0.0-eksbuild.1' } } }, 'eks.addonVersions.ebsCsi', /is not a known setting/],
    [{ eks: { supportType: 'FOREVER' } }, 'eks.supportType', /STANDARD.*EXTENDED/],
    [{ eks: { nodeReleaseVersion: '1.34.2-20260115' } }, 'eks.nodeReleaseVersion', /expected an EKS AL2023 AMI release of Kubernetes 1\.35, like 1\.35\.0-20260115/],
  ])('rejects %j naming the setting', (overrides, setting, message) => {
    const issue = issuesOf(withOperatorAccess(overrides)).find((i) => i.setting === setting);
    expect(issue?.message).toMatch(message);
  });

  it('writes nothing when the eks settings are invalid', () => {
    expect(() => synthEks(withOperatorAccess({ eks: { adminPrincipalArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] } }))).toThrow(ConfigError);
  });
});

describe('eks config: deployable or refused (issue 12 items 1, 2)', () => {
  it('refuses a non-default configuration from which nobody could reach the Kubernetes API, saying what to set', () => {
    const issues = issuesOf({ network: { natGateways: 'single' } });
    expect(issues).toEqual([
      {
        setting: 'eks.endpointPrivateAccessCidrs',
        value: [],
        message: expect.stringMatching(/^nobody could reach the Kubernetes API .* so the ory stack cannot be deployed: list the networks .* or set eks\.endpointPublicAccessCidrs/),
      },
    ]);
    expect(issuesOf(withOperatorAccess({ network: { natGateways: 'single' } }))).toEqual([]);
    expect(issuesOf({ network: { natGateways: 'single' }, eks: { endpointPublicAccessCidrs: ['198.51.100.7/32'] } })).toEqual([]);
  });

  it('refuses a configuration in which nobody is cluster-admin', () => {
    expect(issuesOf(withOperatorAccess({ eks: { deployerClusterAdmin: false } }))).toEqual([
      { setting: 'eks.adminPrincipalArns', value: [], message: expect.stringMatching(/^nobody would be cluster-admin \(eks\.deployerClusterAdmin is false\), so the ory stack cannot be deployed/) },
    ]);
    expect(issuesOf(withOperatorAccess({ eks: { deployerClusterAdmin: false, adminPrincipalArns: [ADMIN] } }))).toEqual([]);
  });

  it('accepts the defaults as they are: they synthesize and stop at plan time instead', () => {
    expect(issuesOf(undefined)).toEqual([]);
    expect(issuesOf({})).toEqual([]);
    expect(issuesOf({ eks: {} })).toEqual([]);
  });
});

describe('eks config: what EKS accepts (issue 12 items 13, 17, 18)', () => {
  it.each([
    ['1.20', /Kubernetes version "1\.20" is not supported by EKS; allowed with support type STANDARD: 1\.35 \(EKS version calendar as of 2026-12-02\)/],
    ['1.99', /Kubernetes version "1\.99" is not supported by EKS/],
    ['1.33', /Kubernetes version 1\.33 left EKS standard support on 2026-07-29: with support type STANDARD EKS upgrades it on its own; choose 1\.35, or support type EXTENDED/],
  ])('refuses kubernetesVersion %s under the default STANDARD support', (version, message) => {
    expect(issuesOf(withOperatorAccess({ eks: { kubernetesVersion: version } }))).toEqual([{ setting: 'eks.kubernetesVersion', value: version, message: expect.stringMatching(message) }]);
  });

  it('accepts versions in extended support only with supportType EXTENDED', () => {
    expect(issuesOf(withOperatorAccess({ eks: { kubernetesVersion: '1.32', supportType: 'EXTENDED' } }))).toEqual([]);
    expect(issuesOf(withOperatorAccess({ eks: { kubernetesVersion: '1.31', supportType: 'EXTENDED' } }))[0]?.message).toMatch(/allowed with support type EXTENDED: 1\.32, 1\.33, 1\.34, 1\.35/);
  });

  it.each([
    ['nodeMaxSize', 1e9],
    ['nodeDesiredSize', 451],
    ['nodeMinSize', 1000],
  ])('refuses eks.%s %d with the EKS limit, as a config error', (setting, value) => {
    const issue = issuesOf(withOperatorAccess({ eks: { [setting]: value } })).find((i) => i.setting === `eks.${setting}`);
    expect(issue?.message).toBe('expected an integer from 0 to 450: EKS allows 450 nodes per managed node group (default quota)');
  });

  it('refuses more public endpoint CIDRs than EKS allows (40, not adjustable)', () => {
    const cidrs = Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`);
    expect(issuesOf({ eks: { endpointPublicAccessCidrs: cidrs } })).toEqual([
      { setting: 'eks.endpointPublicAccessCidrs', value: '41 CIDRs', message: 'lists 41 CIDRs; EKS allows at most 40 per cluster (a quota that cannot be raised)' },
    ]);
    expect(issuesOf({ eks: { endpointPublicAccessCidrs: cidrs.slice(0, 40) } })).toEqual([]);
  });

  it('refuses more private access networks than one security group holds', () => {
    const cidrs = Array.from({ length: 61 }, (_, i) => `10.${100 + i}.0.0/16`);
    expect(issuesOf({ eks: { endpointPrivateAccessCidrs: cidrs } })[0]).toMatchObject({ setting: 'eks.endpointPrivateAccessCidrs', message: expect.stringContaining('at most 60 inbound rules') });
  });

  it('keeps the operator settings apart from the Ory end-user ones', () => {
    expect(OPERATOR_ACCESS.endpointPrivateAccessCidrs).toEqual(['10.99.0.0/16']);
    expect(resolveConfig(withOperatorAccess({ publicAccessCidrs: ['0.0.0.0/0'] })).eks.endpointPublicAccessCidrs).toEqual([]);
  });
});

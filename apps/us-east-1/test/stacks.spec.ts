import { describe, expect, it } from 'vitest';
import { remoteStateId } from '@crdb-ory/core';
import { resolveConfig } from '../src/config';
import { stateBackendOf } from '@crdb-ory/deployment';
import { OPERATOR_ACCESS, stackJson, synthesizeTo, withOperatorAccess } from './helpers';

const S3_BACKEND = { stateBackend: { type: 's3', bucket: 'acme-tfstate', keyPrefix: 'idp/prod' }, eks: OPERATOR_ACCESS };

describe('stack composition', () => {
  it('keeps every stack on local state files by default', () => {
    const outdir = synthesizeTo();
    expect(stackJson(outdir, 'state').terraform.backend).toEqual({ local: { path: '../../../terraform.state.tfstate' } });
    expect(stackJson(outdir, 'network').terraform.backend).toEqual({ local: { path: '../../../terraform.network.tfstate' } });
  });

  it('puts network state in S3 (one key per stack, encrypted with the state stack\'s key, native locking) and keeps the state stack local', () => {
    const outdir = synthesizeTo(S3_BACKEND);
    expect(stackJson(outdir, 'network').terraform.backend).toEqual({
      s3: { bucket: 'acme-tfstate', key: 'idp/prod/network.tfstate', region: 'us-east-1', encrypt: true, kms_key_id: 'alias/crdb-ory-tfstate', use_lockfile: true },
    });
    expect(Object.values(stackJson(outdir, 'state').resource.aws_kms_alias).map((a: any) => a.name)).toEqual(['alias/crdb-ory-tfstate']);
    const state = stackJson(outdir, 'state');
    expect(state.terraform.backend).toEqual({ local: { path: '../../../terraform.state.tfstate' } });
    expect(Object.values(state.resource.aws_s3_bucket).map((b: any) => b.bucket)).toEqual(['acme-tfstate']);
  });

  it('maps the configured backend, filling in the region, for downstream remote-state reads', () => {
    const config = resolveConfig({ ...S3_BACKEND, stateBackend: { ...S3_BACKEND.stateBackend, region: 'eu-central-1' } });
    expect(stateBackendOf(config)).toEqual({ type: 's3', bucket: 'acme-tfstate', region: 'eu-central-1', keyPrefix: 'idp/prod', kmsKeyId: 'alias/crdb-ory-tfstate', bucketStack: 'state' });
    expect(stateBackendOf(resolveConfig(undefined))).toEqual({ type: 'local' });
    expect(remoteStateId('network')).toBe('remote-state-network');
  });

  it('passes the configuration into the network stack', () => {
    const outdir = synthesizeTo(withOperatorAccess({ namePrefix: 'acme', tags: { CostCenter: '42' }, network: { natGateways: 'single', flowLogsRetentionDays: 90, privateZoneName: 'db.acme.internal' }, eks: { clusterName: 'identity' } }));
    const network = stackJson(outdir, 'network');
    expect(network.provider.aws[0].default_tags).toEqual([{ tags: { Project: 'crdb-ory', ManagedBy: 'cdktf', CostCenter: '42', TerraformState: 'local:terraform.network.tfstate' } }]);
    expect(Object.keys(network.resource.aws_nat_gateway)).toHaveLength(2);
    expect(Object.values(network.resource.aws_cloudwatch_log_group).map((g: any) => g.retention_in_days)).toEqual([90, 90]);
    expect(Object.values(network.resource.aws_route53_zone).map((z: any) => z.name)).toEqual(['db.acme.internal']);
    expect(Object.values(network.resource.aws_vpc).map((v: any) => v.tags.Name).sort()).toEqual(['acme-cockroach', 'acme-ory']);
    expect(network.output.eks_cluster_name.value).toBe('identity');
  });

  // Two full syntheses: on a loaded CI machine they take longer than the default 30 s.
  it('builds every ARN of every stack in the partition of the region (China, GovCloud)', () => {
    for (const [region, partition] of [['cn-northwest-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov']]) {
      const outdir = synthesizeTo(withOperatorAccess({ region, availabilityZones: [`${region}a`, `${region}b`, `${region}c`] }));
      for (const stack of ['state', 'network', 'cockroach-pki', 'cockroach', 'eks', 'ory']) {
        const text = JSON.stringify(stackJson(outdir, stack));
        expect(text, `${stack} in ${region}`).not.toContain('arn:aws:');
        expect(text, `${stack} in ${region}`).not.toMatch(/"arn:aws"/);
      }
      const eks = stackJson(outdir, 'eks');
      expect(Object.values<any>(eks.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn)).toContain(`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy`);
      const cockroach = stackJson(outdir, 'cockroach');
      const operations = Object.entries<any>(cockroach.resource.aws_iam_role_policy).find(([name]) => name.startsWith('operations_role-policy_'))?.[1];
      expect([JSON.parse(operations?.policy).Statement.find((s: any) => s.Sid === 'RunShellScriptOnTheNodes').Resource].flat()).toEqual([`arn:${partition}:ec2:${region}:\${data.aws_caller_identity.operations_account_591C8CB6.account_id}:instance/*`]);
    }
  }, 120_000);
});

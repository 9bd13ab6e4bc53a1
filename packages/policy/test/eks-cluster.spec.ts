import { EksCluster, EksClusterConfig } from '@cdktf/provider-aws/lib/eks-cluster';
import { assert, describe, expect, it } from 'vitest';
import { EKS_CONTROL_PLANE_LOGGING, EKS_PUBLIC_ENDPOINT_RESTRICTED, EKS_SECRETS_ENCRYPTED } from '../src';
import { findings } from './fixture';

const SECURE: EksClusterConfig = {
  name: 'ory',
  roleArn: 'arn:aws:iam::123456789012:role/eks',
  vpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
  encryptionConfig: { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/1' } },
  enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
};
const RULES = [EKS_SECRETS_ENCRYPTED, EKS_CONTROL_PLANE_LOGGING, EKS_PUBLIC_ENDPOINT_RESTRICTED];

describe('CRDB-EKS-001/002/003 EKS cluster', () => {
  it('pass a cluster with KMS secrets encryption, logging and an allow-listed endpoint', () => {
    for (const rule of RULES) expect(findings(rule, (s) => new EksCluster(s, 'cluster', SECURE))).toEqual([]);
  });

  it('pass a private-only endpoint without an allow-list', () => {
    const config = { ...SECURE, vpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: false } };
    expect(findings(EKS_PUBLIC_ENDPOINT_RESTRICTED, (s) => new EksCluster(s, 'cluster', config))).toEqual([]);
  });

  it('fail a cluster with defaults: no encryption, no logs, endpoint public to the world', () => {
    const bare = { name: 'ory', roleArn: SECURE.roleArn, vpcConfig: { subnetIds: ['subnet-1'] } };
    expect(RULES.map((rule) => findings(rule, (s) => new EksCluster(s, 'cluster', bare))[0]?.ruleId)).toEqual(['CRDB-EKS-001', 'CRDB-EKS-002', 'CRDB-EKS-003']);
  });

  it('fails partial logging and a 0.0.0.0/0 allow-list', () => {
    const config = { ...SECURE, enabledClusterLogTypes: ['api'], vpcConfig: { subnetIds: ['subnet-1'], publicAccessCidrs: ['0.0.0.0/0'] } };
    const [finding] = findings(EKS_CONTROL_PLANE_LOGGING, (s) => new EksCluster(s, 'cluster', config));
    assert.exists(finding, 'a finding');
    expect(finding.message).toContain('missing audit, authenticator');
    expect(findings(EKS_PUBLIC_ENDPOINT_RESTRICTED, (s) => new EksCluster(s, 'cluster', config))).toHaveLength(1);
  });
});

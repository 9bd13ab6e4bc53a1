import { Testing, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { EksCluster, EksClusterAdmins, EksManagedNodeGroup, EksNodeSecurityGroup } from '../src';

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

const CLUSTER = { clusterName: 'ory', kubernetesVersion: '1.35', subnetIds: ['subnet-1'], clusterRoleName: 'r' };
const NODES = { clusterName: 'ory', kubernetesVersion: '1.35', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], nodeRoleName: 'n', nodeGroupName: 'g' };

describe('construct props are checked before anything is synthesized', () => {
  it.each([
    [{ kubernetesVersion: '1.35.2' }, /kubernetesVersion "1\.35\.2" is invalid; Kubernetes version "1\.35\.2" is not supported by EKS; allowed with support type STANDARD: 1\.35/],
    [{ kubernetesVersion: '1.20' }, /kubernetesVersion "1\.20" is invalid; .*not supported by EKS/],
    [{ kubernetesVersion: '1.99' }, /kubernetesVersion "1\.99" is invalid; .*not supported by EKS/],
    [{ kubernetesVersion: '1.33' }, /left EKS standard support on 2026-07-29: with support type STANDARD EKS upgrades it on its own; choose 1\.35, or support type EXTENDED/],
    [{ supportType: 'FOREVER' }, /supportType "FOREVER" is invalid; allowed: STANDARD, EXTENDED/],
    [{ endpointPublicAccessCidrs: ['203.0.113.1/24'] }, /endpointPublicAccessCidrs "203\.0\.113\.1\/24" is invalid; .*host bits set/],
    [{ enabledClusterLogTypes: ['api', 'kubelet'] }, /enabledClusterLogTypes \["kubelet"\] is invalid; allowed: api, audit/],
    [{ clusterName: '-ory' }, /clusterName "-ory" is invalid/],
  ])('EksCluster rejects %j', (override, message) => {
    expect(() => new EksCluster(stack(), 'c', { ...CLUSTER, ...(override as object) })).toThrow(message);
  });

  it('EksCluster takes a version past standard support with the EXTENDED support type', () => {
    expect(() => new EksCluster(stack(), 'c', { ...CLUSTER, kubernetesVersion: '1.33', supportType: 'EXTENDED' })).not.toThrow();
  });

  it.each([
    [{ maxSize: 1e9 }, /maxSize 1000000000 is invalid; expected an integer from 0 to 450/],
    [{ minSize: 3, desiredSize: 2, maxSize: 4 }, /minSize\/desiredSize\/maxSize .* expected minSize <= desiredSize <= maxSize/],
    [{ rootVolumeSizeGiB: 8 }, /rootVolumeSizeGiB 8 is invalid; expected an integer from 20 to 16384/],
    [{ httpPutResponseHopLimit: 3 }, /httpPutResponseHopLimit 3 is invalid; expected 1 or 2/],
  ])('EksManagedNodeGroup rejects %j', (override, message) => {
    expect(() => new EksManagedNodeGroup(stack(), 'n', { ...NODES, ...(override as object) })).toThrow(message);
  });

  it('EksClusterAdmins rejects session ARNs and duplicates', () => {
    expect(() => new EksClusterAdmins(stack(), 'a', { clusterName: 'ory', principalArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] })).toThrow(
      /principalArns "arn:aws:sts::123456789012:assumed-role\/Admin\/me" is invalid; expected an IAM role or user ARN/,
    );
    const arn = 'arn:aws:iam::123456789012:role/Admin';
    expect(() => new EksClusterAdmins(stack(), 'a', { clusterName: 'ory', principalArns: [arn, arn] })).toThrow(/each principal may appear once/);
  });

  it('EksNodeSecurityGroup rejects a malformed database CIDR and port', () => {
    expect(() => new EksNodeSecurityGroup(stack(), 's', { vpcId: 'vpc-1', name: 'n', databaseCidrBlocks: ['10.10.0.0'] })).toThrow(/databaseCidrBlocks "10\.10\.0\.0" is invalid/);
    expect(() => new EksNodeSecurityGroup(stack(), 's', { vpcId: 'vpc-1', name: 'n', databaseCidrBlocks: [], databasePort: 0 })).toThrow(/databasePort 0 is invalid/);
  });
});

import { ValidationError } from '@crdb-ory/core';
import { Testing, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { EKS_NODE_GROUP_DEFAULTS, EKS_NODE_ROOT_VOLUME_LIMITS, EksCluster, EksClusterAdmins, EksManagedNodeGroup, EksNodeSecurityGroup, eksNodeGroupProblems } from '../src';

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

const CLUSTER = { clusterName: 'ory', kubernetesVersion: '1.35', subnetIds: ['subnet-1'], clusterRoleName: 'r' };
const NODES = { clusterName: 'ory', kubernetesVersion: '1.35', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'], nodeRoleName: 'n', nodeGroupName: 'g' };

describe('construct props are checked before anything is synthesized', () => {
  it.each([
    [{ kubernetesVersion: '1.35.2' }, /kubernetesVersion = "1\.35\.2": Kubernetes version "1\.35\.2" is not supported by EKS; allowed with support type STANDARD: 1\.35/],
    [{ kubernetesVersion: '1.20' }, /kubernetesVersion = "1\.20": .*not supported by EKS/],
    [{ kubernetesVersion: '1.99' }, /kubernetesVersion = "1\.99": .*not supported by EKS/],
    [{ kubernetesVersion: '1.33' }, /left EKS standard support on 2026-07-29: with support type STANDARD EKS upgrades it on its own; choose 1\.35, or support type EXTENDED/],
    [{ supportType: 'FOREVER' }, /supportType = "FOREVER": allowed: STANDARD, EXTENDED/],
    [{ endpointPublicAccessCidrs: ['203.0.113.1/24'] }, /endpointPublicAccessCidrs\[0\] = "203\.0\.113\.1\/24": .*host bits set/],
    [{ enabledClusterLogTypes: ['api', 'kubelet'] }, /enabledClusterLogTypes = \["kubelet"\]: allowed: api, audit/],
    [{ clusterName: '-ory' }, /clusterName = "-ory": expected 1-100 characters/],
  ])('EksCluster rejects %j', (override, message) => {
    expect(() => new EksCluster(stack(), 'c', { ...CLUSTER, ...(override as object) })).toThrow(message);
  });

  it('EksCluster takes a version past standard support with the EXTENDED support type', () => {
    expect(() => new EksCluster(stack(), 'c', { ...CLUSTER, kubernetesVersion: '1.33', supportType: 'EXTENDED' })).not.toThrow();
  });

  it.each([
    [{ maxSize: 1e9 }, /maxSize = 1000000000: expected an integer from 0 to 450/],
    [{ minSize: 3, desiredSize: 2, maxSize: 4 }, /desiredSize = \{"minSize":3,"desiredSize":2,"maxSize":4\}: expected minSize <= desiredSize <= maxSize/],
    [{ rootVolumeSizeGiB: 8 }, /rootVolumeSizeGiB = 8: expected an integer from 20 to 16384/],
    [{ httpPutResponseHopLimit: 3 }, /httpPutResponseHopLimit = 3: expected 1 \(pods cannot reach instance metadata\) or 2/],
  ])('EksManagedNodeGroup rejects %j', (override, message) => {
    expect(() => new EksManagedNodeGroup(stack(), 'n', { ...NODES, ...(override as object) })).toThrow(message);
  });

  it('EksClusterAdmins rejects session ARNs and duplicates', () => {
    expect(() => new EksClusterAdmins(stack(), 'a', { clusterName: 'ory', principalArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] })).toThrow(
      /principalArns\[0\] = "arn:aws:sts::123456789012:assumed-role\/Admin\/me": must be an IAM role or user ARN/,
    );
    const arn = 'arn:aws:iam::123456789012:role/Admin';
    expect(() => new EksClusterAdmins(stack(), 'a', { clusterName: 'ory', principalArns: [arn, arn] })).toThrow(/each principal may appear once/);
  });

  it('EksNodeSecurityGroup rejects a malformed database CIDR and port', () => {
    expect(() => new EksNodeSecurityGroup(stack(), 's', { vpcId: 'vpc-1', name: 'n', databaseCidrBlocks: ['10.10.0.0'] })).toThrow(/databaseCidrBlocks\[0\] = "10\.10\.0\.0": expected an IPv4 CIDR block/);
    expect(() => new EksNodeSecurityGroup(stack(), 's', { vpcId: 'vpc-1', name: 'n', databaseCidrBlocks: [], databasePort: 0 })).toThrow(/databasePort = 0: expected an integer from 1 to 65535/);
  });
});

describe('one error shape', () => {
  it('every bad prop of a construct at once, as one ValidationError naming its path', () => {
    let error: unknown;
    try {
      new EksManagedNodeGroup(stack(), 'n', { ...NODES, maxSize: 1e9, rootVolumeSizeGiB: 8, httpPutResponseHopLimit: 3 as 1 });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ constructPath: 'test/n', problems: [{ prop: 'maxSize', value: 1e9 }, { prop: 'rootVolumeSizeGiB', value: 8 }, { prop: 'httpPutResponseHopLimit', value: 3 }] });
  });

  it('the node group rule is exported with its limits and defaults, and the defaults pass it', () => {
    expect(eksNodeGroupProblems(EKS_NODE_GROUP_DEFAULTS)).toEqual([]);
    expect(eksNodeGroupProblems({ ...EKS_NODE_GROUP_DEFAULTS, rootVolumeSizeGiB: EKS_NODE_ROOT_VOLUME_LIMITS.min - 1 }).map((p) => p.prop)).toEqual(['rootVolumeSizeGiB']);
    expect(eksNodeGroupProblems({ ...EKS_NODE_GROUP_DEFAULTS, rootVolumeSizeGiB: EKS_NODE_ROOT_VOLUME_LIMITS.max + 1 }).map((p) => p.prop)).toEqual(['rootVolumeSizeGiB']);
  });
});

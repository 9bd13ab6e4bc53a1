import { ec2InstanceType } from '@crdb-ory/core';
import { Template } from '@crdb-ory/core/testing';
import { assert, describe, expect, it } from 'vitest';
import { nodeGroupPeakVcpus, nodeGroupUpdateSurge, nodeInstanceTypeProblems, vpcCniMaxPods } from '../src';
import { synthEks } from './synth';

describe('EKS node instance types', () => {
  it.each([
    ['t3.micro', 4],
    ['t3.small', 11],
    ['m5.large', 29],
    ['m5.xlarge', 58],
  ])('%s runs %i pods per node (VPC CNI formula, as eni-max-pods.txt lists them)', (type, pods) => {
    const instanceType = ec2InstanceType(type);
    assert.exists(instanceType, `the EC2 facts of ${type}`);
    expect(vpcCniMaxPods(instanceType)).toBe(pods);
  });

  it('refuses a type that does not exist, one of the wrong architecture, and one too small for the pods', () => {
    expect(nodeInstanceTypeProblems('m5.xxlarge', { nodes: 3, workloadPods: 14 })[0]).toMatch(/^is not an EC2 instance type/);
    expect(nodeInstanceTypeProblems('m7g.xlarge', { nodes: 3, workloadPods: 14 })).toEqual([
      'is arm64, but the nodes run the AL2023_x86_64_STANDARD AMI (x86_64): choose an x86_64 type such as m5.xlarge',
    ]);
    expect(nodeInstanceTypeProblems('t3.micro', { nodes: 3, workloadPods: 14 })[0]).toMatch(/^runs at most 4 pods per node .* so 3 nodes hold 3 more pods; Ory and coredns need 16/);
    expect(nodeInstanceTypeProblems('m5.xlarge', { nodes: 3, workloadPods: 14 })).toEqual([]);
  });

  it('refuses a node type that cannot exist at construction, naming the prop', () => {
    expect(() => synthEks({ nodeInstanceType: 'm7g.xlarge' })).toThrow('instanceType = "m7g.xlarge": is arm64');
  });

  it('counts the update surge of a managed node group as EKS documents it: the larger of 2 per zone and maxUnavailable', () => {
    expect(nodeGroupUpdateSurge(3)).toBe(6);
    expect(nodeGroupUpdateSurge(3, 10)).toBe(10);
    expect(nodeGroupPeakVcpus('m5.xlarge', 4, 3)).toBe(40);
  });

  it('checks at plan time that the node type is offered in the Ory zones and that the vCPU quota holds the peak with the other nodes', () => {
    const template = Template.fromJSON(synthEks({ otherOnDemandVcpus: 24 }).json);
    const offerings = template.onlyDataSource('aws_ec2_instance_type_offerings').config;
    expect(offerings.filter).toEqual([
      { name: 'instance-type', values: ['m5.xlarge'] },
      { name: 'location', values: expect.stringContaining('availability_zones') },
    ]);
    const quota = template.onlyDataSource('aws_servicequotas_service_quota').config;
    expect(quota).toMatchObject({ service_code: 'ec2', quota_code: 'L-1216C47A' });
    const needed = template.onlyLocal('node-vcpus_needed');
    expect(needed.value).toBe('64');
    const inUse = template.onlyLocal('vcpus-in-use_vcpus');
    expect(quota.lifecycle.postcondition[0].condition).toBe(`\${(self.value >= (local.${inUse.name} + tonumber(local.${needed.name})))}`);
    // The account's other running instances count; those in the deployment's VPCs (the node group's and the CockroachDB nodes) do not.
    expect(template.onlyDataSource('aws_instances', 'vcpus-in-use_own').config.filter).toEqual([
      { name: 'vpc-id', values: ['${data.terraform_remote_state.remote-state-network.outputs.cockroach_vpc_id}', '${data.terraform_remote_state.remote-state-network.outputs.ory_vpc_id}'] },
    ]);
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployableIssuesOf, runMain, tempDir } from './helpers';

/** Issue 19: what can be known to be wrong without an account is refused before anything is written. */
describe('configuration facts checked offline', () => {
  it.each([
    ['an availability zone the region does not have', { region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1d'] }, 'availabilityZones[2]: is not an availability zone of eu-west-1; eu-west-1 has eu-west-1a, eu-west-1b, eu-west-1c'],
    ['a region that does not exist', { region: 'eu-west-9', availabilityZones: ['eu-west-9a', 'eu-west-9b', 'eu-west-9c'] }, 'region: is not an AWS region'],
    ['a cockroach instance type that does not exist', { cockroach: { instanceType: 'm6i.3xlarge' } }, 'cockroach.instanceType: is not an EC2 instance type'],
    ['a cockroach instance size that does not exist', { cockroach: { instanceType: 'm5.xxlarge' } }, 'cockroach.instanceType: is not an EC2 instance type'],
    ['an EKS node type that does not exist', { eks: { nodeInstanceType: 'm6i.3xlarge' } }, 'eks.nodeInstanceType: is not an EC2 instance type'],
    ['an EKS node size that does not exist', { eks: { nodeInstanceType: 'm5.xxlarge' } }, 'eks.nodeInstanceType: is not an EC2 instance type'],
    ['an arm64 EKS node type for the x86_64 AMI', { eks: { nodeInstanceType: 'm7g.xlarge' } }, 'eks.nodeInstanceType: is arm64, but the nodes run the AL2023_x86_64_STANDARD AMI (x86_64)'],
    ['an EKS node type too small for Ory', { eks: { nodeInstanceType: 't3.micro' } }, 'eks.nodeInstanceType: runs at most 4 pods per node (VPC CNI: 2 network interfaces × (2 addresses − 1) + 2)'],
    ['an EKS private access network inside the Ory VPC', { eks: { endpointPrivateAccessCidrs: ['10.20.0.0/24'] } }, "eks.endpointPrivateAccessCidrs[0]: is inside network.oryVpc.cidr 10.20.0.0/16, one of the product's own networks"],
    ['an EKS private access network equal to the CockroachDB VPC', { eks: { endpointPrivateAccessCidrs: ['10.10.0.0/16'] } }, "eks.endpointPrivateAccessCidrs[0]: is equal to network.cockroachVpc.cidr 10.10.0.0/16, one of the product's own networks"],
    ['a DB Console admin network inside the CockroachDB VPC', { cockroach: { adminCidrs: ['10.10.10.0/24'] } }, 'cockroach.adminCidrs[0]: is inside network.cockroachVpc.cidr 10.10.0.0/16'],
    ['a duplicate public access CIDR', { publicAccessCidrs: ['203.0.113.0/24', '203.0.113.0/24'] }, 'publicAccessCidrs[1]: is listed twice (also at index 0)'],
    ['a duplicate admin network', { cockroach: { adminCidrs: ['10.99.0.0/16', '10.99.0.0/16'] } }, 'cockroach.adminCidrs[1]: is listed twice (also at index 0)'],
    ['a state key prefix starting with "/"', { stateBackend: { type: 's3', bucket: 'acme-tfstate', keyPrefix: '/crdb-ory' } }, 'stateBackend.keyPrefix: must not start or end with "/"'],
    ['a state key prefix ending with "/"', { stateBackend: { type: 's3', bucket: 'acme-tfstate', keyPrefix: 'crdb-ory/' } }, 'stateBackend.keyPrefix: must not start or end with "/"'],
  ])('refuses %s', (_, overrides, expected) => {
    const issues = deployableIssuesOf(overrides);
    expect(issues.some((issue) => issue.startsWith(expected)), issues.join('\n')).toBe(true);
  });

  it('reports a duplicate in an EKS access list once, with the same rule as every other list', () => {
    const issues = deployableIssuesOf({ eks: { endpointPrivateAccessCidrs: ['10.99.0.0/16', '10.99.0.0/16'] } });
    expect(issues).toEqual(['eks.endpointPrivateAccessCidrs[1]: is listed twice (also at index 0); each entry becomes one rule']);
  });

  it('accepts real zones, types and networks outside the VPCs', () => {
    expect(deployableIssuesOf({ region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], cockroach: { instanceType: 'r6i.2xlarge', adminCidrs: ['10.99.0.0/16'] }, eks: { nodeInstanceType: 't3.small' }, stateBackend: { type: 's3', bucket: 'acme-tfstate', keyPrefix: 'teams/identity' } })).toEqual([]);
  });

  it('exits 2 naming the setting, the value and what is allowed, and writes nothing', () => {
    const outdir = join(tempDir('facts'), 'cdktf.out');
    const { status, stderr } = runMain({ cockroach: { instanceType: 'm5.xxlarge' } }, outdir);
    expect(status).toBe(2);
    expect(stderr).toContain('cockroach.instanceType: is not an EC2 instance type (DescribeInstanceTypes, moto 5.2.1 data); m5 comes in ');
    expect(stderr).toContain('(got "m5.xxlarge")');
    expect(existsSync(outdir)).toBe(false);
  });
});

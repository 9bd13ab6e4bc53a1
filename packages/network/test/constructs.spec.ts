import { TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { PrivateZone, ProductVpc, eksSubnetTags } from '../src';

function newScope(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

describe('ProductVpc', () => {
  const base = { name: 'v', region: 'us-east-1', cidrBlock: '10.0.0.0/16', availabilityZones: ['a', 'b'], publicSubnetCidrs: ['10.0.0.0/24', '10.0.1.0/24'], privateSubnetCidrs: ['10.0.2.0/24', '10.0.3.0/24'] };

  it('refuses subnet lists that do not match the availability zones, naming the prop and its value', () => {
    expect(() => new ProductVpc(newScope(), 'vpc', { ...base, privateSubnetCidrs: ['10.0.2.0/24'] })).toThrow(
      'Invalid props of test/vpc:\n  - privateSubnetCidrs = ["10.0.2.0/24"]: has 1 entries; it needs one per availability zone, 2 in all',
    );
  });

  it('refuses an empty list of availability zones', () => {
    expect(() => new ProductVpc(newScope(), 'vpc', { ...base, availabilityZones: [], publicSubnetCidrs: [], privateSubnetCidrs: [] })).toThrow(/availabilityZones = \[\]: is empty/);
  });
});

describe('PrivateZone', () => {
  it('refuses a zone with no VPC (it would be public by mistake)', () => {
    expect(() => new PrivateZone(newScope(), 'zone', { zoneName: 'x.internal', vpcIds: [] })).toThrow(/vpcIds is empty/);
  });
});

describe('eksSubnetTags', () => {
  it('tags public subnets for internet-facing and private ones for internal load balancers', () => {
    expect(eksSubnetTags('c', 'public')).toEqual({ 'kubernetes.io/cluster/c': 'shared', 'kubernetes.io/role/elb': '1' });
    expect(eksSubnetTags('c', 'private')).toEqual({ 'kubernetes.io/cluster/c': 'shared', 'kubernetes.io/role/internal-elb': '1' });
  });
});

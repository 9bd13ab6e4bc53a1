import { describe, expect, it } from 'vitest';
import { availabilityZonesOf, awsRegionNames, cidrListProblems, ec2InstanceType, onDemandVcpuQuotaOf, stateAddress, unknownInstanceTypeProblem } from '../src';

describe('EC2 facts (moto 5.2.1 data)', () => {
  it('know instance types with their vCPUs, memory, architecture and network interfaces', () => {
    expect(ec2InstanceType('m6i.2xlarge')).toMatchObject({ vcpus: 8, memoryMiB: 32768, architectures: ['x86_64'], hypervisor: 'nitro', burstable: false });
    expect(ec2InstanceType('t3.micro')).toMatchObject({ burstable: true, maxNetworkInterfaces: 2, ipv4AddressesPerInterface: 2 });
    expect(ec2InstanceType('m6i.3xlarge')).toBeUndefined();
    expect(unknownInstanceTypeProblem('m5.xxlarge')).toMatch(/^is not an EC2 instance type \(DescribeInstanceTypes, moto 5\.2\.1 data\); m5 comes in .*\b2xlarge\b/);
    expect(unknownInstanceTypeProblem('constructor')).toMatch(/is not an EC2 instance type/);
  });

  it('know regions and their zones', () => {
    expect(awsRegionNames()).toContain('eu-west-1');
    expect(availabilityZonesOf('eu-west-1')).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(availabilityZonesOf('eu-west-9')).toBeUndefined();
  });

  it('tell which instance types draw on the On-Demand standard vCPU quota', () => {
    expect(onDemandVcpuQuotaOf('m5.xlarge')?.quotaCode).toBe('L-1216C47A');
    expect(onDemandVcpuQuotaOf('r6i.2xlarge')?.quotaCode).toBe('L-1216C47A');
    expect(onDemandVcpuQuotaOf('x2idn.16xlarge')).toBeUndefined();
    expect(onDemandVcpuQuotaOf('inf2.xlarge')).toBeUndefined();
  });
});

describe('the CIDR list rule', () => {
  const vpcs = [{ label: 'network.oryVpc.cidr 10.20.0.0/16', cidr: '10.20.0.0/16' }];

  it('refuses a repeated entry and an entry equal to or inside a reserved network', () => {
    expect(cidrListProblems(['10.99.0.0/16', '10.20.0.0/16', '10.20.5.0/24', '10.99.0.0/16'], vpcs)).toEqual([
      { index: 1, value: '10.20.0.0/16', message: expect.stringMatching(/^is equal to network\.oryVpc\.cidr 10\.20\.0\.0\/16/) },
      { index: 2, value: '10.20.5.0/24', message: expect.stringMatching(/^is inside network\.oryVpc\.cidr 10\.20\.0\.0\/16/) },
      { index: 3, value: '10.99.0.0/16', message: 'is listed twice (also at index 0); each entry becomes one rule' },
    ]);
  });

  it('accepts a network that contains a VPC (a VPN summary route) and leaves unparsable entries to the parser', () => {
    expect(cidrListProblems(['10.0.0.0/8', 'nonsense'], vpcs)).toEqual([]);
  });
});

describe('the state tag', () => {
  it('names where the stack\'s state lives', () => {
    expect(stateAddress({ type: 'local' }, 'network')).toBe('local:terraform.network.tfstate');
    expect(stateAddress({ type: 's3', bucket: 'b', region: 'us-east-1', keyPrefix: 'p' }, 'network')).toBe('s3://b/p/network.tfstate');
    expect(stateAddress({ type: 's3', bucket: 'b', region: 'us-east-1', keyPrefix: 'p'.repeat(300) }, 'network')).toHaveLength(246);
  });
});

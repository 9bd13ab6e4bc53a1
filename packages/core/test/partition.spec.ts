import { describe, expect, it } from 'vitest';
import { AWS_REGION_NAME_PATTERN, awsDnsSuffixOf, awsPartitionOf, inPartition, isAwsRegionName } from '../src';

describe('partition of a region', () => {
  it.each([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['eu-central-2', 'aws', 'amazonaws.com'],
    ['mx-central-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-gov-east-1', 'aws-us-gov', 'amazonaws.com'],
  ])('%s is in %s (endpoints *.%s)', (region, partition, suffix) => {
    expect(awsPartitionOf(region)).toBe(partition);
    expect(awsDnsSuffixOf(region)).toBe(suffix);
  });

  it.each(['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1'])('refuses %s (isolated or sovereign partition)', (region) => {
    expect(() => awsPartitionOf(region)).toThrow(/isolated or sovereign AWS partition; supported: aws \(commercial\), aws-cn/);
  });

  it('spells a region name of the supported partitions only: the one pattern the settings, the constructs, the CLI and the rehearsal check', () => {
    for (const region of ['us-east-1', 'ap-southeast-2', 'mx-central-1', 'cn-northwest-1', 'us-gov-west-1']) expect(isAwsRegionName(region), region).toBe(true);
    for (const value of ['US East', 'us-east', 'us-east-1a', 'useast-1', 'us-isob-east-1', 'eusc-de-east-1', ' us-east-1']) expect(isAwsRegionName(value), value).toBe(false);
    expect(new RegExp(`^(.+)-(${AWS_REGION_NAME_PATTERN})$`).exec('cockroach-backup-us-gov-west-1')?.slice(1)).toEqual(['cockroach-backup', 'us-gov-west-1']);
  });

  it('maps a documented ARN into the region partition, leaving the rest alone', () => {
    const policy = 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy';
    expect(inPartition(policy, awsPartitionOf('us-east-1'))).toBe(policy);
    expect(inPartition(policy, awsPartitionOf('cn-north-1'))).toBe('arn:aws-cn:iam::aws:policy/AmazonEKSClusterPolicy');
    expect(inPartition('arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'aws-us-gov')).toBe('arn:aws-us-gov:elasticloadbalancing:*:*:targetgroup/*/*');
    expect(() => inPartition('arn:aws-cn:iam::aws:policy/X', 'aws-cn')).toThrow(/expected an ARN starting with "arn:aws:"/);
  });
});

import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { Template, matchesPartially } from '../src/testing';

function fixture(): TerraformStack {
  const stack = new TerraformStack(new App(), 'fixture');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new S3Bucket(stack, 'logs', { bucket: 'logs', tags: { Tier: 'audit', Owner: 'platform' } });
  new S3Bucket(stack, 'backups', { bucket: 'backups', tags: { Tier: 'data' } });
  new SecurityGroup(stack, 'sql', { name: 'sql', ingress: [{ fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: ['10.0.0.0/16'] }] });
  new DataAwsRegion(stack, 'here');
  return stack;
}

const template = Template.fromStack(fixture());

describe('Template: assertions over a synthesized stack, without a test framework', () => {
  it('finds resources and data sources by type and partial arguments, by Terraform name (cdktf writes them sorted by name)', () => {
    expect(Object.keys(template.findResources('aws_s3_bucket'))).toEqual(['backups', 'logs']);
    expect(template.findResources('aws_s3_bucket', { tags: { Tier: 'audit' } })).toEqual({ logs: expect.objectContaining({ bucket: 'logs' }) });
    expect(template.findResources('aws_instance')).toEqual({});
    expect(Object.keys(template.findDataSources('aws_region'))).toEqual(['here']);
    expect(template.all('aws_s3_bucket').map((bucket) => bucket.bucket)).toEqual(['backups', 'logs']);
  });

  it('resourceCountIs throws, naming what it found, unless the count is exact', () => {
    expect(() => template.resourceCountIs('aws_s3_bucket', 2)).not.toThrow();
    expect(() => template.resourceCountIs('aws_s3_bucket', 1)).toThrow('expected 1 aws_s3_bucket, found 2: backups, logs');
    expect(() => template.resourceCountIs('aws_instance', 1)).toThrow('expected 1 aws_instance, found 0');
  });

  it('hasResourceProperties throws unless some resource matches partially; arrays match item by item, with their length', () => {
    expect(() => template.hasResourceProperties('aws_security_group', { ingress: [{ from_port: 26257, cidr_blocks: ['10.0.0.0/16'] }] })).not.toThrow();
    expect(() => template.hasResourceProperties('aws_security_group', { ingress: [{ from_port: 8080 }] })).toThrow(/expected a aws_security_group with .*8080.*; none of 1 matches: sql /);
    expect(() => template.hasResourceProperties('aws_security_group', { ingress: [] })).toThrow(/none of 1 matches/);
    expect(() => template.hasResourceProperties('aws_instance', {})).toThrow('expected a aws_instance with {}; the stack has none');
  });

  it('only returns the one resource meant (the only one, by name prefix, or by partial arguments) and throws on none or several', () => {
    expect(template.only('aws_security_group')).toMatchObject({ address: 'aws_security_group.sql', type: 'aws_security_group', name: 'sql', config: { name: 'sql' } });
    expect(template.only('aws_s3_bucket', 'back').address).toBe('aws_s3_bucket.backups');
    expect(template.only('aws_s3_bucket', { tags: { Owner: 'platform' } }).name).toBe('logs');
    expect(() => template.only('aws_s3_bucket')).toThrow('expected one aws_s3_bucket, found 2: backups, logs');
    expect(() => template.only('aws_s3_bucket', 'x')).toThrow('expected one aws_s3_bucket named x*, found 0');
    expect(() => template.only('aws_s3_bucket', { tags: { Tier: 'none' } })).toThrow('expected one aws_s3_bucket with {"tags":{"Tier":"none"}}, found 0');
    expect(template.onlyDataSource('aws_region').address).toBe('data.aws_region.here');
    expect(() => template.onlyDataSource('aws_vpc')).toThrow('expected one data source aws_vpc, found 0');
  });

  it('resourceAt reads a resource by its Terraform address, and throws when there is none', () => {
    expect(template.resourceAt('aws_s3_bucket.logs').config.bucket).toBe('logs');
    expect(() => template.resourceAt('aws_s3_bucket.missing')).toThrow('no resource aws_s3_bucket.missing: backups, logs');
  });

  it('onlyLocal returns the one local named with a prefix, and throws on none or several', () => {
    const locals = Template.fromJSON({ locals: { 'needed_1A2B': '64', 'other_1': 'x', 'other_2': 'y' } });
    expect(locals.onlyLocal('needed')).toEqual({ name: 'needed_1A2B', value: '64' });
    expect(() => locals.onlyLocal('other')).toThrow('expected one local named other*, found 2: other_1, other_2');
    expect(() => locals.onlyLocal('missing')).toThrow('expected one local named missing*, found 0');
  });

  it('fromJSON wraps JSON already synthesized', () => {
    expect(Template.fromJSON({ resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } } } }).only('aws_vpc').config).toEqual({ cidr_block: '10.0.0.0/16' });
    expect(Template.fromJSON({}).all('aws_vpc')).toEqual([]);
  });

  it('matchesPartially ignores extra keys at any depth, compares arrays by length and item, and everything else by value', () => {
    expect(matchesPartially({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(matchesPartially({ a: [1, 2] }, { a: [1] })).toBe(false);
    expect(matchesPartially({ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1 }] })).toBe(true);
    expect(matchesPartially({ a: '1' }, { a: 1 })).toBe(false);
    expect(matchesPartially({}, { a: undefined })).toBe(false);
    expect(matchesPartially({ a: null }, { a: {} })).toBe(false);
  });
});

import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { describe, expect, it } from 'vitest';
import { attribute, resourceRule } from '../src';
import { findings } from './fixture';

const SIZES = resourceRule({
  id: 'CRDB-TEST-001',
  description: 'a rule declared for this test: volumes of 100 GiB, instances of type t3.micro',
  fix: 'the rule fix',
  test: {
    aws_instance: (entry) => (entry.config['instance_type'] === 't3.micro' ? undefined : { message: `instance_type is ${String(entry.config['instance_type'])}`, fix: 'its own fix' }),
    aws_ebs_volume: (entry) => (entry.config['size'] === 100 ? [] : [`size is ${String(entry.config['size'])}`, 'and a second problem']),
  },
});

describe('rules declared as data (resourceRule)', () => {
  it('checks each listed type in the declared order, reports every problem with the address and construct path, and applies the rule fix unless a problem names its own', () => {
    const result = findings(SIZES, (stack) => {
      new EbsVolume(stack, 'data', { availabilityZone: 'us-east-1a', size: 50 });
      new EbsVolume(stack, 'fine', { availabilityZone: 'us-east-1a', size: 100 });
      new Instance(stack, 'node', { ami: 'ami-1', instanceType: 'm6i.2xlarge' });
    });
    expect(result).toEqual([
      { ruleId: 'CRDB-TEST-001', severity: 'error', address: 'aws_instance.node', constructPath: 'fixture/node', message: 'instance_type is m6i.2xlarge', fix: 'its own fix' },
      { ruleId: 'CRDB-TEST-001', severity: 'error', address: 'aws_ebs_volume.data', constructPath: 'fixture/data', message: 'size is 50', fix: 'the rule fix' },
      { ruleId: 'CRDB-TEST-001', severity: 'error', address: 'aws_ebs_volume.data', constructPath: 'fixture/data', message: 'and a second problem', fix: 'the rule fix' },
    ]);
  });

  it('keeps a declared severity; error is the default', () => {
    expect(SIZES.severity).toBe('error');
    expect(resourceRule({ id: 'CRDB-TEST-002', description: 'a warning', severity: 'warning', fix: 'f', test: {} }).severity).toBe('warning');
  });

  it('attribute reads through nested blocks, written as objects or one-item arrays, and is undefined past a missing step', () => {
    expect(attribute({ metadata_options: [{ http_tokens: 'required' }] }, 'metadata_options', 'http_tokens')).toBe('required');
    expect(attribute({ vpc_config: { endpoint_public_access: false } }, 'vpc_config', 'endpoint_public_access')).toBe(false);
    expect(attribute({}, 'metadata_options', 'http_tokens')).toBeUndefined();
    expect(attribute({ metadata_options: 'text' }, 'metadata_options', 'http_tokens')).toBeUndefined();
  });
});

import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { describe, expect, it } from 'vitest';
import { EBS_ENCRYPTED } from '../src';
import { findings } from './fixture';

describe('CRDB-EBS-001 encrypted volumes', () => {
  it('passes encrypted volumes, root volumes and launch template volumes', () => {
    const result = findings(EBS_ENCRYPTED, (s) => {
      new EbsVolume(s, 'data', { availabilityZone: 'us-east-1a', size: 100, encrypted: true });
      new Instance(s, 'node', { ami: 'ami-1', instanceType: 'm6i.2xlarge', rootBlockDevice: { encrypted: true } });
      new LaunchTemplate(s, 'lt', { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeSize: 50 } }] });
    });
    expect(result).toEqual([]);
  });

  it('fails an unencrypted volume, a root volume left at the default, and a launch template volume', () => {
    const result = findings(EBS_ENCRYPTED, (s) => {
      new EbsVolume(s, 'data', { availabilityZone: 'us-east-1a', size: 100 });
      new Instance(s, 'node', { ami: 'ami-1', instanceType: 'm6i.2xlarge' });
      new LaunchTemplate(s, 'lt', { blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'false' } }] });
    });
    expect(result.map((f) => f.message)).toEqual([
      'encrypted is unset',
      'root_block_device.encrypted is unset',
      'block_device_mappings.ebs /dev/xvda has encrypted = false',
    ]);
  });
});

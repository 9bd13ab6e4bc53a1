import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { describe, expect, it } from 'vitest';
import { EC2_IMDSV2 } from '../src';
import { findings } from './fixture';

describe('CRDB-EC2-001 IMDSv2', () => {
  it('passes an instance and a launch template that require tokens', () => {
    const result = findings(EC2_IMDSV2, (s) => {
      new Instance(s, 'node', { ami: 'ami-1', instanceType: 'm6i.2xlarge', metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' } });
      new LaunchTemplate(s, 'lt', { metadataOptions: { httpTokens: 'required' } });
    });
    expect(result).toEqual([]);
  });

  it('fails an instance without metadata options and a launch template with optional tokens', () => {
    const result = findings(EC2_IMDSV2, (s) => {
      new Instance(s, 'node', { ami: 'ami-1', instanceType: 'm6i.2xlarge' });
      new LaunchTemplate(s, 'lt', { metadataOptions: { httpTokens: 'optional' } });
    });
    expect(result.map((f) => [f.ruleId, f.constructPath])).toEqual([
      ['CRDB-EC2-001', 'fixture/node'],
      ['CRDB-EC2-001', 'fixture/lt'],
    ]);
  });
});

import { ValidationError } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_VOLUME, DEFAULT_INSTANCE_TYPE, GP3_LIMITS, gp3VolumeProblems } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { buildCluster, synthCluster } from './synth';

describe('the gp3 data volume: one rule, in the cockroach library', () => {
  it('accepts the default volume, which the stack uses', () => {
    expect(gp3VolumeProblems(DEFAULT_DATA_VOLUME)).toEqual([]);
    const volume = Template.fromJSON(synthCluster()).all('aws_ebs_volume')[0];
    expect(volume).toMatchObject({ size: DEFAULT_DATA_VOLUME.sizeGiB, iops: DEFAULT_DATA_VOLUME.iops, throughput: DEFAULT_DATA_VOLUME.throughputMiBps });
    expect(DEFAULT_INSTANCE_TYPE).toBe('m6i.2xlarge');
  });

  it('returns each problem under its CockroachStack prop, from the EBS limits', () => {
    expect(gp3VolumeProblems({ sizeGiB: 10, iops: 6000, throughputMiBps: 250 })).toEqual([{ prop: 'dataVolumeIops', value: 6000, message: 'exceeds 500 per GiB of a 10 GiB gp3 volume' }]);
    expect(gp3VolumeProblems({ sizeGiB: 500, iops: 3000, throughputMiBps: 1000 })).toEqual([{ prop: 'dataVolumeThroughputMiBps', value: 1000, message: 'exceeds iops/4 (750) for gp3' }]);
    expect(gp3VolumeProblems({ sizeGiB: GP3_LIMITS.sizeGiB.max + 1, iops: 2000, throughputMiBps: 100 }).map((p) => p.prop)).toEqual(['dataVolumeSizeGiB', 'dataVolumeIops', 'dataVolumeThroughputMiBps']);
  });

  it('the stack throws exactly those problems as one ValidationError naming its path', () => {
    let error: unknown;
    try {
      buildCluster({ dataVolumeSizeGiB: 10, dataVolumeIops: 6000 });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('cockroach');
    expect((error as ValidationError).problems).toEqual(gp3VolumeProblems({ ...DEFAULT_DATA_VOLUME, sizeGiB: 10, iops: 6000 }));
  });
});

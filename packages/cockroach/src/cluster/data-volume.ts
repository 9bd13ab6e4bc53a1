import type { PropProblem } from '@crdb-ory/core';

/** The gp3 data volume of each node. */
export interface DataVolumeSettings {
  readonly sizeGiB: number;
  readonly iops: number;
  readonly throughputMiBps: number;
}

/** 500 GiB, 6000 IOPS, 250 MiB/s: the sizing the design calls for (design section 5). */
export const DEFAULT_DATA_VOLUME: DataVolumeSettings = { sizeGiB: 500, iops: 6000, throughputMiBps: 250 };

/**
 * What EBS accepts for a gp3 volume (Amazon EBS User Guide, "Amazon EBS volume types", General
 * Purpose SSD volumes: 1 GiB-16 TiB, 3,000-16,000 IOPS at most 500 per GiB, 125-1,000 MiB/s at
 * most 0.25 MiB/s per provisioned IOPS).
 */
export const GP3_LIMITS = {
  sizeGiB: { min: 1, max: 16384 },
  iops: { min: 3000, max: 16000, perGiB: 500 },
  throughputMiBps: { min: 125, max: 1000, perIops: 0.25 },
} as const;

/** The data volume props of `CockroachStack`, by setting of {@link DataVolumeSettings}. */
export const DATA_VOLUME_PROPS = { sizeGiB: 'dataVolumeSizeGiB', iops: 'dataVolumeIops', throughputMiBps: 'dataVolumeThroughputMiBps' } as const;

/** Every reason EBS would refuse the gp3 data volume, each under its `CockroachStack` prop. */
export function gp3VolumeProblems(v: DataVolumeSettings): PropProblem[] {
  const { sizeGiB, iops, throughputMiBps } = GP3_LIMITS;
  const problems: PropProblem[] = [];
  const whole = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!whole(v.sizeGiB, sizeGiB.min, sizeGiB.max)) problems.push({ prop: DATA_VOLUME_PROPS.sizeGiB, value: v.sizeGiB, message: `allowed ${sizeGiB.min}-${sizeGiB.max} GiB (gp3)` });
  if (!whole(v.iops, iops.min, iops.max)) problems.push({ prop: DATA_VOLUME_PROPS.iops, value: v.iops, message: `allowed ${iops.min}-${iops.max} (gp3)` });
  else if (v.iops > v.sizeGiB * iops.perGiB) problems.push({ prop: DATA_VOLUME_PROPS.iops, value: v.iops, message: `exceeds ${iops.perGiB} per GiB of a ${v.sizeGiB} GiB gp3 volume` });
  if (!whole(v.throughputMiBps, throughputMiBps.min, throughputMiBps.max)) {
    problems.push({ prop: DATA_VOLUME_PROPS.throughputMiBps, value: v.throughputMiBps, message: `allowed ${throughputMiBps.min}-${throughputMiBps.max} MiB/s (gp3)` });
  } else if (v.throughputMiBps > v.iops * throughputMiBps.perIops) {
    problems.push({ prop: DATA_VOLUME_PROPS.throughputMiBps, value: v.throughputMiBps, message: `exceeds iops/4 (${v.iops * throughputMiBps.perIops}) for gp3` });
  }
  return problems;
}

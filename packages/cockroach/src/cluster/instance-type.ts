import { PropProblem, unknownInstanceTypeProblem } from '@crdb-ory/core';

/**
 * Production sizing (design section 5) and what the boot needs:
 * - at least 4 vCPU: `xlarge` or larger (or metal);
 * - at least 4 GiB of RAM per vCPU: the m (4 GiB), r (8), x (16+), i and z families; c (2 GiB)
 *   is refused;
 * - no burstable (t*) or flex (`-flex`: baseline CPU only) types;
 * - x86_64 (the nodes install the linux-amd64 release): no Graviton;
 * - Nitro: the boot finds the data volume by its NVMe id, and on Xen (m4, r4, x1, i3, c4, ...)
 *   EBS volumes are not NVMe devices, so the boot would wait for a device that never appears.
 */
const SIZE_PATTERN = /^(\d*xlarge|metal(-\d+xl)?)$/;
const FAMILY_PATTERN = /^(?<letters>[a-z]+?)(?<generation>\d+)(?<attributes>[a-z]*)(?<flex>-flex)?$/;

/** The first Nitro generation of each allowed family (`i3en` is Nitro although `i3` is Xen). */
const FIRST_NITRO_GENERATION: Readonly<Record<string, number>> = { m: 5, r: 5, x: 2, i: 4, z: 1 };

/** 8 vCPU, 32 GiB: the sizing CockroachDB recommends (design section 5). */
export const DEFAULT_INSTANCE_TYPE = 'm6i.2xlarge';

export const ALLOWED_INSTANCE_FAMILIES =
  'Nitro x86_64 families with at least 4 GiB per vCPU: m5 or newer (m5, m6i, m6a, m7i, ...), r5 or newer, x2 or newer, i3en, i4i or newer, z1d; size xlarge or larger';

/** Why `instanceType` cannot run a CockroachDB node (at most one problem, under `prop`). */
export function productionInstanceTypeProblems(instanceType: string, prop = 'instanceType'): PropProblem[] {
  const reason = productionInstanceTypeReason(instanceType);
  return reason === undefined ? [] : [{ prop, value: instanceType, message: `${reason}; allowed are ${ALLOWED_INSTANCE_FAMILIES} (e.g. ${DEFAULT_INSTANCE_TYPE})` }];
}

function productionInstanceTypeReason(instanceType: string): string | undefined {
  const [family, size, extra] = instanceType.split('.');
  const unknown = unknownInstanceTypeProblem(instanceType);
  if (unknown) return unknown;
  if (!family || !size || extra !== undefined || !/^[a-z][a-z0-9-]*$/.test(family)) return 'not an EC2 instance type like m6i.2xlarge';
  const parts = FAMILY_PATTERN.exec(family)?.groups;
  if (!parts) return `the ${family} family is not a general purpose, memory or storage optimized family CockroachDB is sized for`;
  const { letters, generation, attributes, flex } = parts as { letters: string; generation: string; attributes: string; flex?: string };
  if (letters === 't') return 'burstable types are not allowed for CockroachDB';
  if (flex) return 'flex types guarantee only a baseline of their CPU, which CockroachDB needs all the time';
  if (!SIZE_PATTERN.test(size)) return 'CockroachDB needs at least 4 vCPU, so sizes xlarge and larger';
  if (attributes.includes('g')) return 'Graviton (arm64) types are not supported; the nodes install the linux-amd64 release on x86_64 Amazon Linux 2023';
  if (letters === 'c') return 'the c family has 2 GiB of RAM per vCPU; CockroachDB needs at least 4 GiB per vCPU';
  const firstNitro = FIRST_NITRO_GENERATION[letters];
  if (firstNitro === undefined) return `the ${letters} family is not a general purpose, memory or storage optimized family CockroachDB is sized for`;
  const nitro = Number(generation) >= firstNitro || (letters === 'i' && generation === '3' && attributes === 'en');
  if (!nitro || (letters === 'z' && attributes !== 'd')) {
    return `${family} runs on the Xen hypervisor, where EBS volumes are not NVMe devices; the boot finds the data volume by its NVMe id and would never find it`;
  }
  return undefined;
}

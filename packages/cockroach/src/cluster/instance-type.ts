/**
 * Production sizing (design section 5): no burstable types (t2/t3/t3a/t4g) and at least
 * 4 vCPU, which for current general purpose, compute and memory families means `xlarge` or
 * larger (or metal).
 */
const SIZE_PATTERN = /^(\d*xlarge|metal(-\d+xl)?)$/;

export function validateProductionInstanceType(instanceType: string): void {
  const [family, size] = instanceType.split('.');
  if (!family || !size) {
    throw new Error(`Invalid instanceType "${instanceType}": allowed is an EC2 instance type like m6i.2xlarge.`);
  }
  if (/^t\d/.test(family)) {
    throw new Error(`Invalid instanceType "${instanceType}": burstable types are not allowed for CockroachDB; use e.g. m6i.2xlarge.`);
  }
  if (!SIZE_PATTERN.test(size)) {
    throw new Error(`Invalid instanceType "${instanceType}": CockroachDB needs at least 4 vCPU; allowed sizes are xlarge and larger (e.g. m6i.2xlarge).`);
  }
  if (/^[a-z]+\d+[a-z]*g[a-z]*$/.test(family)) {
    throw new Error(`Invalid instanceType "${instanceType}": Graviton (arm64) types are not supported; the nodes install the linux-amd64 release on x86_64 Amazon Linux 2023.`);
  }
  if (!/^(m|r|c|i|x|z)/.test(family)) {
    throw new Error(`Invalid instanceType "${instanceType}": allowed are the m, r, c, i, x and z families (4 GiB per vCPU or more is advised: m or r).`);
  }
}

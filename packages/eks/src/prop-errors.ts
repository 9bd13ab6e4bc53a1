import { isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';

/** Throws a construct-prop error naming the construct, the prop, the value and what is allowed. */
export function invalidProp(construct: string, prop: string, value: unknown, allowed: string): never {
  throw new Error(`${construct}: ${prop} ${JSON.stringify(value)} is invalid; ${allowed}.`);
}

/** Checks that every entry is an IPv4 CIDR block (tokens pass: they are resolved by Terraform). */
export function requireCidrs(construct: string, prop: string, cidrs: readonly string[]): void {
  for (const cidr of cidrs) {
    if (cidr.includes('${')) continue;
    const parsed = parseIpv4Cidr(cidr);
    if (!isIpv4Cidr(parsed)) invalidProp(construct, prop, cidr, `expected IPv4 CIDR blocks like 203.0.113.0/24 (${parsed.error})`);
  }
}

export function requireIntegerInRange(construct: string, prop: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) invalidProp(construct, prop, value, `expected an integer from ${min} to ${max}`);
}

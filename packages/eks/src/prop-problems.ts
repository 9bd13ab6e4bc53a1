import { PropProblem, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';

/** Every entry of `cidrs` that is not an IPv4 CIDR block, under `<prop>[i]` (tokens pass: Terraform resolves them). */
export function cidrBlockProblems(prop: string, cidrs: readonly string[]): PropProblem[] {
  return cidrs.flatMap((cidr, i) => {
    if (cidr.includes('${')) return [];
    const parsed = parseIpv4Cidr(cidr);
    return isIpv4Cidr(parsed) ? [] : [{ prop: `${prop}[${i}]`, value: cidr, message: `expected an IPv4 CIDR block like 203.0.113.0/24 (${parsed.error})` }];
  });
}

/** The problem with `value` unless it is a whole number from `min` to `max`; `why` says where the limits come from. */
export function integerInRangeProblems(prop: string, value: number, min: number, max: number, why = ''): PropProblem[] {
  return Number.isInteger(value) && value >= min && value <= max ? [] : [{ prop, value, message: `expected an integer from ${min} to ${max}${why ? `: ${why}` : ''}` }];
}

import { describe, expect, it } from 'vitest';
import { cidrContains, cidrHost, cidrsOverlap, isIpv4Cidr, parseIpv4Cidr, type Ipv4Cidr } from '../src';

function cidr(text: string): Ipv4Cidr {
  const parsed = parseIpv4Cidr(text);
  if (!isIpv4Cidr(parsed)) throw new Error(parsed.error);
  return parsed;
}

describe('parseIpv4Cidr', () => {
  it.each([
    ['10.0.0.0', 'is not an IPv4 CIDR block'],
    ['10.0.0.0/33', 'prefix length above 32'],
    ['10.0.256.0/24', 'octet above 255'],
    ['10.0.0.1/16', 'host bits set (the network address is 10.0.0.0/16)'],
    ['abc', 'is not an IPv4 CIDR block'],
  ])('rejects %s', (text, message) => {
    const parsed = parseIpv4Cidr(text);
    expect(isIpv4Cidr(parsed)).toBe(false);
    expect((parsed as { error: string }).error).toContain(message);
  });

  it('accepts a network address', () => {
    expect(cidr('10.20.16.0/20')).toMatchObject({ prefixLength: 20 });
  });
});

describe('cidr relations', () => {
  it('contains subnets inside the block only', () => {
    expect(cidrContains(cidr('10.10.0.0/16'), cidr('10.10.12.0/24'))).toBe(true);
    expect(cidrContains(cidr('10.10.0.0/16'), cidr('10.11.0.0/24'))).toBe(false);
    expect(cidrContains(cidr('10.10.0.0/24'), cidr('10.10.0.0/16'))).toBe(false);
  });

  it('detects overlap in both directions and adjacency as disjoint', () => {
    expect(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.20.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('10.20.0.0/16'), cidr('10.0.0.0/8'))).toBe(true);
    expect(cidrsOverlap(cidr('10.10.0.0/24'), cidr('10.10.1.0/24'))).toBe(false);
  });

  it('computes host addresses and refuses offsets outside the block', () => {
    expect(cidrHost(cidr('10.10.11.0/24'), 10)).toBe('10.10.11.10');
    expect(() => cidrHost(cidr('10.10.11.0/28'), 16)).toThrow(/outside/);
  });
});

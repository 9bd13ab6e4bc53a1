/** An IPv4 CIDR block as numbers: network address and prefix length. */
export interface Ipv4Cidr {
  readonly text: string;
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns an error message instead of throwing so callers can name the
 * setting; host bits set (`10.0.0.1/16`) count as malformed, as AWS rejects them too.
 */
export function parseIpv4Cidr(text: string): Ipv4Cidr | { error: string } {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return { error: 'is not an IPv4 CIDR block (expected a.b.c.d/n)' };
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255)) return { error: 'has an octet above 255' };
  if (prefixLength > 32) return { error: 'has a prefix length above 32' };
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = address - (address % 2 ** (32 - prefixLength));
  if (network !== address) {
    return { error: `has host bits set (the network address is ${formatIpv4(network)}/${prefixLength})` };
  }
  return { text, network, prefixLength };
}

export function isIpv4Cidr(value: Ipv4Cidr | { error: string }): value is Ipv4Cidr {
  return !('error' in value);
}

export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

/** True when every address of `inner` is in `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.network >= outer.network && inner.network + cidrSize(inner) <= outer.network + cidrSize(outer);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}

/** The `offset`-th address of the block, e.g. `cidrHost(10.0.1.0/24, 10)` = `10.0.1.10`. */
export function cidrHost(cidr: Ipv4Cidr, offset: number): string {
  if (offset < 0 || offset >= cidrSize(cidr)) {
    throw new Error(`Host offset ${offset} is outside ${cidr.text}.`);
  }
  return formatIpv4(cidr.network + offset);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

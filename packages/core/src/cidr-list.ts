import { Ipv4Cidr, cidrContains, isIpv4Cidr, parseIpv4Cidr } from './cidr';

/** A network a CIDR list must stay out of, e.g. one of the product's own VPCs. */
export interface ReservedNetwork {
  /** How messages name it, e.g. `network.cockroachVpc.cidr 10.10.0.0/16`. */
  readonly label: string;
  readonly cidr: string;
}

/** One problem with an entry of a CIDR list. */
export interface CidrListProblem {
  readonly index: number;
  readonly value: string;
  readonly message: string;
}

/**
 * The one rule every CIDR list of the product follows (security group sources, EKS endpoint
 * access lists, admin networks): no entry twice (each becomes one rule, and AWS refuses a
 * duplicate rule), and no entry equal to or inside a reserved network (an operator network
 * inside the product's own VPC admits the product to itself, not the operators). Entries that
 * do not parse are left to the parser's own error.
 */
export function cidrListProblems(cidrs: readonly string[], reserved: readonly ReservedNetwork[] = []): CidrListProblem[] {
  const networks = reserved.flatMap((network) => {
    const parsed = parsedCidr(network.cidr);
    return parsed ? [{ ...network, parsed }] : [];
  });
  return cidrs.flatMap((value, index): CidrListProblem[] => {
    const first = cidrs.indexOf(value);
    if (first !== index) return [{ index, value, message: `is listed twice (also at index ${first}); each entry becomes one rule` }];
    const parsed = parsedCidr(value);
    const inside = parsed && networks.find((network) => cidrContains(network.parsed, parsed));
    return inside
      ? [{ index, value, message: `is ${inside.parsed.network === parsed.network && inside.parsed.prefixLength === parsed.prefixLength ? 'equal to' : 'inside'} ${inside.label}, one of the product's own networks; list the operators' networks outside it (a VPN, a bastion's subnet, a peered network)` }]
      : [];
  });
}

function parsedCidr(text: string): Ipv4Cidr | undefined {
  const parsed = parseIpv4Cidr(text);
  return isIpv4Cidr(parsed) ? parsed : undefined;
}

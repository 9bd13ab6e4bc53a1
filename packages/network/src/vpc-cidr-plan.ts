import { type Ipv4Cidr, type PropProblem, awsPartitionOf, cidrContains, cidrSize, cidrsOverlap, formatIpv4, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';

/**
 * What a VPC of a multi-region deployment is for. The CockroachDB VPCs are peered with each other
 * across regions (`InterRegionPeeringMesh`); each region's Ory VPC is peered with that region's
 * CockroachDB VPC (`VpcPeering`).
 */
export type PlannedVpcRole = 'cockroach' | 'ory';

/** One VPC of the deployment's address plan. */
export interface PlannedVpc {
  /**
   * The prop that sets this VPC's CIDR, as the caller names it (e.g. `regions[1].cockroachVpcCidr`).
   * Every problem is reported under it and names the other VPC by its prop, so the app can map
   * both to setting paths (`issuesOfProblems` renames props inside messages too).
   */
  readonly prop: string;
  /** AWS region of the VPC. */
  readonly region: string;
  /** The prop that sets `region`, for a problem with the region. @default the region's value is reported under `prop` */
  readonly regionProp?: string;
  readonly role: PlannedVpcRole;
  /** Its IPv4 CIDR block. */
  readonly cidr: string;
}

/**
 * Every reason the VPCs of a (multi-region) deployment cannot be meshed as planned; none when
 * they can. Never throws: bad input is a problem under its prop.
 *
 * - Each CIDR parses as an IPv4 block with no host bits set (`parseIpv4Cidr`).
 * - No two VPCs overlap, containment and equality included, reported once per pair under the
 *   later one. Peered VPCs must be disjoint: "You cannot create a VPC peering connection between
 *   VPCs that have matching or overlapping IPv4 or IPv6 CIDR blocks" and such a request "immediately
 *   goes to failed" (Amazon VPC Peering Guide, "VPC peering limitations" and "Create a VPC peering
 *   connection"). VPCs that are not peered with each other (two Ory VPCs) must be disjoint too:
 *   issue 24 asks for six disjoint blocks, so that an address means one place in every region and
 *   a later peering or transit gateway between them cannot fail on overlap.
 * - One CockroachDB VPC and at most one Ory VPC per region, and an Ory VPC only where its
 *   region has a CockroachDB VPC (it is peered with that one: Ory's DSN names its own region's
 *   load balancer).
 * - Every VPC in one partition: Route 53 associates a private hosted zone only with VPCs of its
 *   own partition (Route 53 API Reference, AssociateVPCWithHostedZone: "the hosted zone and the
 *   Amazon VPC must belong to the same partition"), and the one private zone spans every VPC.
 *
 * The size of each block (/16 to /28) and the subnets inside it are the app's per-VPC rules.
 */
export function vpcCidrPlanProblems(vpcs: readonly PlannedVpc[]): PropProblem[] {
  const problems: PropProblem[] = [];
  const parsed: Array<PlannedVpc & { readonly block: Ipv4Cidr }> = [];
  for (const vpc of vpcs) {
    const block = parseIpv4Cidr(vpc.cidr);
    if (isIpv4Cidr(block)) parsed.push({ ...vpc, block });
    else problems.push({ prop: vpc.prop, value: vpc.cidr, message: `${block.error}; expected an IPv4 CIDR block like 10.10.0.0/16` });
  }
  parsed.forEach((b, j) => {
    for (const a of parsed.slice(0, j)) {
      if (!cidrsOverlap(a.block, b.block)) continue;
      const free = freeBlockLike(b.block, parsed.map((vpc) => vpc.block));
      problems.push({
        prop: b.prop,
        value: b.cidr,
        message:
          `${relation(b.block, a.block)} ${a.prop} ${a.cidr} (${describe(a)}); ${whyDisjoint(a, b)}. ` +
          `Allowed: a block that overlaps none of the ${vpcs.length} VPCs${free ? `, e.g. ${free}` : ''}`,
      });
    }
  });
  problems.push(...placementInPlanProblems(vpcs));
  return problems;
}

function placementInPlanProblems(vpcs: readonly PlannedVpc[]): PropProblem[] {
  const problems: PropProblem[] = [];
  vpcs.forEach((vpc, i) => {
    const earlier = vpcs.slice(0, i).find((other) => other.region === vpc.region && other.role === vpc.role);
    if (earlier) {
      problems.push({ prop: vpc.prop, value: vpc.cidr, message: `is a second ${ROLE_NAMES[vpc.role]} VPC in ${vpc.region} (the first is ${earlier.prop}); a region has one of each, and the mesh peers one CockroachDB VPC per region` });
    }
    if (vpc.role === 'ory' && !vpcs.some((other) => other.role === 'cockroach' && other.region === vpc.region)) {
      problems.push({ prop: vpc.prop, value: vpc.cidr, message: `is the Ory VPC of ${vpc.region}, which has no CockroachDB VPC; each Ory VPC is peered with the CockroachDB VPC of its own region (Ory's DSN names that region's load balancer)` });
    }
  });
  const first = vpcs[0];
  if (first) {
    for (const vpc of vpcs) {
      const partition = partitionOf(vpc.region);
      if (partition !== partitionOf(first.region)) {
        problems.push({
          prop: vpc.regionProp ?? vpc.prop,
          value: vpc.region,
          message: `puts this VPC in partition ${partition}, but ${first.prop} is in ${first.region}, partition ${partitionOf(first.region)}; the private zone and the peerings join VPCs of one partition only`,
        });
      }
    }
  }
  return problems;
}

const ROLE_NAMES: Record<PlannedVpcRole, string> = { cockroach: 'CockroachDB', ory: 'Ory' };

function describe(vpc: PlannedVpc): string {
  return `the ${ROLE_NAMES[vpc.role]} VPC of ${vpc.region}`;
}

/** Two CIDR blocks that overlap are equal or one holds the other (blocks are aligned). */
function relation(b: Ipv4Cidr, a: Ipv4Cidr): string {
  if (a.network === b.network && a.prefixLength === b.prefixLength) return 'is the same block as';
  return cidrContains(b, a) ? 'contains' : 'lies inside';
}

function peered(a: PlannedVpc, b: PlannedVpc): boolean {
  if (a.role === 'cockroach' && b.role === 'cockroach') return a.region !== b.region;
  return a.role !== b.role && a.region === b.region;
}

function whyDisjoint(a: PlannedVpc, b: PlannedVpc): string {
  return peered(a, b)
    ? 'the two are peered, and AWS refuses a peering between VPCs whose IPv4 blocks overlap'
    : 'every VPC of a multi-region deployment needs a block of its own, so that an address means one place in every region and a later peering between them cannot fail on overlap';
}

/** The private ranges of RFC 1918, where a suggested block is looked for. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((text) => parseIpv4Cidr(text) as Ipv4Cidr);

/**
 * The first block of `like`'s size, in the RFC 1918 range that holds it (10.0.0.0/8 when none
 * does), that overlaps none of `taken`; undefined when that range is full.
 */
function freeBlockLike(like: Ipv4Cidr, taken: readonly Ipv4Cidr[]): string | undefined {
  const range = PRIVATE_RANGES.find((candidate) => cidrContains(candidate, like)) ?? PRIVATE_RANGES[0];
  if (!range || like.prefixLength < range.prefixLength) return undefined;
  const size = cidrSize(like);
  for (let network = range.network; network < range.network + cidrSize(range); network += size) {
    const candidate: Ipv4Cidr = { text: `${formatIpv4(network)}/${like.prefixLength}`, network, prefixLength: like.prefixLength };
    if (!taken.some((block) => cidrsOverlap(block, candidate))) return candidate.text;
  }
  return undefined;
}

/** The partition of a region, or the region itself when the product builds for none (the placement rule reports that). */
function partitionOf(region: string): string {
  try {
    return awsPartitionOf(region);
  } catch {
    return region;
  }
}

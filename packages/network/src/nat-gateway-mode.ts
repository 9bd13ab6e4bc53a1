import type { VpcNatGateways } from './product-vpc';

/**
 * NAT gateways of the network stack, for both VPCs:
 *
 * - `ory-per-az` (default): one per AZ in the Ory VPC, one in the CockroachDB VPC (4 Elastic IPs
 *   with three AZs). The Ory VPC needs the internet whenever a pod starts on a new node (Ory's
 *   images come from Docker Hub, the load balancer controller's from public ECR, neither has a
 *   VPC endpoint), so an AZ outage must not take another AZ's egress with it. The CockroachDB nodes
 *   need the internet only when a node is created (the release download); their AWS APIs go
 *   through VPC endpoints in their own AZ, so one NAT gateway there costs no availability.
 * - `per-az`: one per AZ in both VPCs (6 Elastic IPs with three AZs: more than the default quota
 *   of 5 per region, L-0263D0A3, so it needs a quota increase, which the plan-time check asks for).
 * - `single`: one per VPC, in the first AZ (2 Elastic IPs): the cheapest; the Ory VPC's egress then
 *   depends on the first AZ. For test environments.
 */
export type NatGatewayMode = 'ory-per-az' | 'per-az' | 'single';

export const NAT_GATEWAY_MODES: readonly NatGatewayMode[] = ['ory-per-az', 'per-az', 'single'];

/** One NAT gateway per AZ in the Ory VPC and one in the CockroachDB VPC: 4 Elastic IPs, inside a fresh account's quota of 5. */
export const DEFAULT_NAT_GATEWAY_MODE: NatGatewayMode = 'ory-per-az';

/** What each VPC gets in `mode`. */
export function vpcNatGateways(mode: NatGatewayMode): { readonly cockroach: VpcNatGateways; readonly ory: VpcNatGateways } {
  switch (mode) {
    case 'per-az':
      return { cockroach: 'per-az', ory: 'per-az' };
    case 'single':
      return { cockroach: 'single', ory: 'single' };
    case 'ory-per-az':
      return { cockroach: 'single', ory: 'per-az' };
  }
}

/** NAT gateways (each with one Elastic IP) per AZ, in AZ order, of one VPC. */
export function natGatewaysPerAz(mode: VpcNatGateways, availabilityZones: readonly string[]): number[] {
  return availabilityZones.map((_, i) => (mode === 'per-az' || i === 0 ? 1 : 0));
}

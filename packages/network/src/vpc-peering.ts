import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

/** One side of a peering: the VPC, and the route tables that must reach the other side. */
export interface PeeredVpc {
  readonly vpcId: string;
  readonly cidrBlock: string;
  /** Route tables that get a route to the other VPC's CIDR through the peering. */
  readonly routeTableIds: readonly string[];
}

export interface VpcPeeringProps {
  /** `Name` tag of the peering connection. */
  readonly name: string;
  /** The VPC that requests the peering. */
  readonly requester: PeeredVpc;
  /** The VPC that accepts it; same account and region, so it is accepted at once. */
  readonly accepter: PeeredVpc;
}

/**
 * A same-account, same-region VPC peering with routes both ways. Peering routes whole CIDR
 * blocks; what may cross (TCP 26257 only) is decided by the security groups on the far side.
 */
export class VpcPeering extends Construct {
  readonly connection: VpcPeeringConnection;

  constructor(scope: Construct, id: string, props: VpcPeeringProps) {
    super(scope, id);
    this.connection = new VpcPeeringConnection(this, 'connection', {
      vpcId: props.requester.vpcId,
      peerVpcId: props.accepter.vpcId,
      autoAccept: true,
      tags: { Name: props.name },
    });
    routeThroughPeering(this, 'requester-to-accepter', { routeTableIds: props.requester.routeTableIds, destination: props.accepter.cidrBlock, peeringConnectionId: this.connection.id });
    routeThroughPeering(this, 'accepter-to-requester', { routeTableIds: props.accepter.routeTableIds, destination: props.requester.cidrBlock, peeringConnectionId: this.connection.id });
  }
}

/** Routes of one side of a peering: every route table of that side to the other side's block. */
export interface PeeringRoutes {
  readonly routeTableIds: readonly string[];
  /** The other side's CIDR block. */
  readonly destination: string;
  readonly peeringConnectionId: string;
  /** The provider of the route tables' region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/** One `aws_route` per route table, `<idPrefix>-<i>`, through the peering to `destination`. */
export function routeThroughPeering(scope: Construct, idPrefix: string, routes: PeeringRoutes): Route[] {
  return routes.routeTableIds.map(
    (routeTableId, i) =>
      new Route(scope, `${idPrefix}-${i}`, {
        routeTableId,
        destinationCidrBlock: routes.destination,
        vpcPeeringConnectionId: routes.peeringConnectionId,
        ...(routes.provider ? { provider: routes.provider } : {}),
      }),
  );
}

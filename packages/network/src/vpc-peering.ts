import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
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
    this.routeTo('requester-to-accepter', props.requester.routeTableIds, props.accepter.cidrBlock);
    this.routeTo('accepter-to-requester', props.accepter.routeTableIds, props.requester.cidrBlock);
  }

  private routeTo(idPrefix: string, routeTableIds: readonly string[], destination: string): void {
    routeTableIds.forEach(
      (routeTableId, i) =>
        new Route(this, `${idPrefix}-${i}`, { routeTableId, destinationCidrBlock: destination, vpcPeeringConnectionId: this.connection.id }),
    );
  }
}

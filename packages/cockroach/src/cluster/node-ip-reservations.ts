import { Ec2SubnetCidrReservation } from '@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation';
import { Construct } from 'constructs';

export interface NodeIpReservationsProps {
  /** Subnet of each node, in node order (may be tokens). */
  readonly subnetIds: string[];
  /** The fixed private IP of each node, in node order. */
  readonly nodeIps: string[];
}

/**
 * One explicit subnet CIDR reservation (`/32`) per node IP: AWS never assigns a reserved address
 * by itself, so the load balancer's network interfaces (and anything else created in these
 * subnets) cannot take a node's IP; only an explicit request, the node's instance, gets it.
 * The load balancer and the instances are created after the reservations.
 */
export class NodeIpReservations extends Construct {
  readonly reservations: Ec2SubnetCidrReservation[];

  constructor(scope: Construct, id: string, props: NodeIpReservationsProps) {
    super(scope, id);
    this.reservations = props.nodeIps.map(
      (ip, i) =>
        new Ec2SubnetCidrReservation(this, `node-${i + 1}`, {
          subnetId: props.subnetIds[i],
          cidrBlock: `${ip}/32`,
          reservationType: 'explicit',
          description: `Fixed IP of CockroachDB node ${i + 1}`,
        }),
    );
  }
}

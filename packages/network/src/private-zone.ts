import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Construct } from 'constructs';

export interface PrivateZoneProps {
  /** Domain of the zone, e.g. `crdb-ory.internal`. */
  readonly zoneName: string;
  /** Every VPC that resolves the zone. */
  readonly vpcIds: readonly string[];
  /** Let `terraform destroy` delete the zone with its records still in it. @default false (records must be removed first) */
  readonly forceDestroy?: boolean;
}

/**
 * A Route 53 private hosted zone associated with every given VPC, so names in it (the
 * CockroachDB load balancer's stable name) can be put in certificates before the records exist.
 */
export class PrivateZone extends Construct {
  readonly zone: Route53Zone;

  constructor(scope: Construct, id: string, props: PrivateZoneProps) {
    super(scope, id);
    if (props.vpcIds.length === 0) throw new Error(`PrivateZone "${id}": vpcIds is empty; a private zone needs at least one VPC.`);
    this.zone = new Route53Zone(this, 'zone', {
      name: props.zoneName,
      comment: 'Private names of the CockroachDB cluster, resolved from the CockroachDB and Ory VPCs.',
      forceDestroy: props.forceDestroy ?? false,
      vpc: props.vpcIds.map((vpcId) => ({ vpcId })),
    });
  }
}

import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { type PropProblem, throwIfProblems } from '@crdb-ory/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';

/** A VPC of another region that resolves the zone. */
export interface OtherRegionVpc {
  readonly vpcId: string;
  /** Its region (a literal). */
  readonly region: string;
  /** What it is, unique within its region (`cockroach`, `ory`); with the region it names the association's construct. */
  readonly name: string;
}

export interface PrivateZoneProps {
  /** Domain of the zone, e.g. `crdb-ory.internal`. */
  readonly zoneName: string;
  /** Every VPC of the zone's own region (the stack's provider region) that resolves the zone. */
  readonly vpcIds: readonly string[];
  /** Let `terraform destroy` delete the zone with its records still in it. @default false (records must be removed first) */
  readonly forceDestroy?: boolean;
  /**
   * VPCs of other regions, same account, that resolve the zone too: one
   * `aws_route53_zone_association` each, with its `vpc_region`. The zone then ignores changes to
   * its in-line VPC list, as the AWS provider requires when both are used ("you cannot use in-line
   * VPC associations in conjunction with any aws_route53_zone_association resources with the same
   * zone ID otherwise it will cause a perpetual difference in plan output. You can optionally use
   * ... ignore_changes", `aws_route53_zone` docs).
   * @default none (the zone's in-line VPC list is exclusive, as in a single region)
   */
  readonly otherRegionVpcs?: readonly OtherRegionVpc[];
  /**
   * VPCs are associated with the zone elsewhere too (`aws_route53_zone_association` in another
   * stack, e.g. a multi-region app's global stack associating every region's VPCs): the zone then
   * ignores changes to its in-line VPC list, as with `otherRegionVpcs`, so an apply of this stack
   * never removes those associations.
   * @default false
   */
  readonly associatedElsewhere?: boolean;
}

/**
 * A Route 53 private hosted zone associated with every given VPC, so names in it (the
 * CockroachDB load balancer's stable name) can be put in certificates before the records exist.
 *
 * Across regions: Route 53 is global and a VPC association names the VPC's region (Route 53 API
 * Reference, `VPC`: `VPCRegion`, "The region that an Amazon VPC was created in"). Only a VPC of
 * another account needs an authorization first (AssociateVPCWithHostedZone: "If you want to
 * associate a VPC that was created by using one AWS account with a private hosted zone that was
 * created by using a different account, the AWS account that created the private hosted zone
 * must first submit a CreateVPCAssociationAuthorization request"); the product's VPCs share one
 * account, so none is created.
 */
export class PrivateZone extends Construct {
  readonly zone: Route53Zone;
  /** One association per VPC of another region, by region. */
  readonly otherRegionAssociations: ReadonlyMap<string, Route53ZoneAssociation>;

  constructor(scope: Construct, id: string, props: PrivateZoneProps) {
    super(scope, id);
    if (props.vpcIds.length === 0) throw new Error(`PrivateZone "${id}": vpcIds is empty; a private zone needs at least one VPC.`);
    const others = props.otherRegionVpcs ?? [];
    throwIfProblems(this, otherRegionVpcProblems(others));
    this.zone = new Route53Zone(this, 'zone', {
      name: props.zoneName,
      comment: 'Private names of the CockroachDB cluster, resolved from the CockroachDB and Ory VPCs.',
      forceDestroy: props.forceDestroy ?? false,
      vpc: props.vpcIds.map((vpcId) => ({ vpcId })),
      ...(others.length > 0 || props.associatedElsewhere ? { lifecycle: { ignoreChanges: ['vpc'] } } : {}),
    });
    this.otherRegionAssociations = new Map(
      others.map((vpc) => {
        const associationId = `${vpc.region}-${vpc.name}`;
        return [associationId, new Route53ZoneAssociation(this, associationId, { zoneId: this.zone.zoneId, vpcId: vpc.vpcId, vpcRegion: vpc.region })];
      }),
    );
  }
}

function otherRegionVpcProblems(vpcs: readonly OtherRegionVpc[]): PropProblem[] {
  return vpcs.flatMap((vpc, i): PropProblem[] => {
    const problems: PropProblem[] = [];
    if (Token.isUnresolved(vpc.region) || Token.isUnresolved(vpc.name)) {
      problems.push({ prop: `otherRegionVpcs[${i}]`, value: { region: vpc.region, name: vpc.name }, message: 'region and name must be literals (they name the association), not Terraform references' });
    }
    const first = vpcs.findIndex((other) => other.region === vpc.region && other.name === vpc.name);
    if (first !== i) problems.push({ prop: `otherRegionVpcs[${i}].name`, value: vpc.name, message: `is also the name of otherRegionVpcs[${first}] in ${vpc.region}; each VPC of a region needs its own name` });
    return problems;
  });
}

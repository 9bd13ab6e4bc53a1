import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { type PropProblem, type RemoteOutputs, throwIfProblems } from '@crdb-ory/core';
import { Fn, type TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { RegionalNetworkOutputs } from './network-outputs';
import { type PeeredVpc, routeThroughPeering } from './vpc-peering';

/** One side of an inter-region peering: a VPC, its route tables, and the provider of its region. */
export interface RegionalPeeredVpc extends PeeredVpc {
  /** AWS region of the VPC (a literal: it names the peering and its constructs). */
  readonly region: string;
  /** The AWS provider (an alias) configured for `region`; every resource of this side uses it. */
  readonly provider: TerraformProvider;
}

export interface InterRegionVpcPeeringProps {
  /** `Name` tag of the connection, on both sides (AWS tags each side in its own region). */
  readonly name: string;
  /** The VPC that requests the peering; the connection is created in its region. */
  readonly requester: RegionalPeeredVpc;
  /** The VPC that accepts it, in another region of the same account; accepted there. */
  readonly accepter: RegionalPeeredVpc;
  /**
   * Let each VPC resolve the other's public DNS hostnames of instances to private addresses
   * (`allow_remote_vpc_dns_resolution` on both sides). Both VPCs need DNS hostnames and DNS
   * support on, as `ProductVpc` sets them.
   * @default true
   */
  readonly allowRemoteVpcDnsResolution?: boolean;
}

/**
 * A same-account VPC peering between two regions, with routes both ways. As the AWS provider
 * documents it (`aws_vpc_peering_connection`: `peer_region` requires `auto_accept = false`;
 * `aws_vpc_peering_connection_accepter` "adopts" the accepter's side in its region) and as AWS
 * requires ("For an inter-Region VPC peering connection, the request must be made from the Region
 * of the requester VPC, and the request must be accepted from the Region of the accepter VPC",
 * Amazon VPC Peering Guide, "Create a VPC peering connection"):
 *
 * - `aws_vpc_peering_connection` with `peer_region`, in the requester's region;
 * - `aws_vpc_peering_connection_accepter` with `auto_accept`, in the accepter's region;
 * - DNS resolution, one `aws_vpc_peering_connection_options` per side in that side's region, after
 *   acceptance ("For inter-region peering connections, you must use the Region for the requester
 *   VPC to modify the requester VPC peering options and the Region for the accepter VPC to modify
 *   the accepter VPC peering options", EC2 API Reference, ModifyVpcPeeringConnectionOptions; the
 *   connection "must be in the active state"); cloudposse/terraform-aws-vpc-peering-multi-account
 *   splits it the same way;
 * - the requester's routes through the connection, the accepter's through the accepter resource,
 *   so they wait until it is active.
 *
 * Peering routes whole blocks; what may cross is the security groups' decision, by CIDR: a
 * security group cannot be referenced across regions (`InterRegionNodeRules`).
 */
export class InterRegionVpcPeering extends Construct {
  readonly connection: VpcPeeringConnection;
  readonly accepterSide: VpcPeeringConnectionAccepterA;

  constructor(scope: Construct, id: string, props: InterRegionVpcPeeringProps) {
    super(scope, id);
    const { requester, accepter } = props;
    throwIfProblems(this, sidesProblems(requester, accepter));
    this.connection = new VpcPeeringConnection(this, 'connection', {
      provider: requester.provider,
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      peerRegion: accepter.region,
      autoAccept: false,
      tags: { Name: props.name },
    });
    this.accepterSide = new VpcPeeringConnectionAccepterA(this, 'accepter', {
      provider: accepter.provider,
      vpcPeeringConnectionId: this.connection.id,
      autoAccept: true,
      tags: { Name: props.name },
    });
    if (props.allowRemoteVpcDnsResolution ?? true) {
      new VpcPeeringConnectionOptions(this, 'requester-options', {
        provider: requester.provider,
        vpcPeeringConnectionId: this.accepterSide.id,
        requester: { allowRemoteVpcDnsResolution: true },
      });
      new VpcPeeringConnectionOptions(this, 'accepter-options', {
        provider: accepter.provider,
        vpcPeeringConnectionId: this.accepterSide.id,
        accepter: { allowRemoteVpcDnsResolution: true },
      });
    }
    routeThroughPeering(this, 'requester-to-accepter', { routeTableIds: requester.routeTableIds, destination: accepter.cidrBlock, peeringConnectionId: this.connection.id, provider: requester.provider });
    routeThroughPeering(this, 'accepter-to-requester', { routeTableIds: accepter.routeTableIds, destination: requester.cidrBlock, peeringConnectionId: this.accepterSide.id, provider: accepter.provider });
  }
}

export interface InterRegionPeeringMeshProps {
  /** Prefix of the connections' `Name` tags: `<namePrefix>-<requester region>-to-<accepter region>`. */
  readonly namePrefix: string;
  /** The VPCs to join, one per region (the CockroachDB VPC of each region). */
  readonly vpcs: readonly RegionalPeeredVpc[];
  /** See `InterRegionVpcPeeringProps.allowRemoteVpcDnsResolution`. @default true */
  readonly allowRemoteVpcDnsResolution?: boolean;
}

/**
 * A full mesh of inter-region peerings: one `InterRegionVpcPeering` per pair of regions,
 * n·(n−1)/2 in all (peering is not transitive, so every pair needs its own). In each pair the
 * region whose name sorts first requests and the other accepts, and the pair's construct id is
 * `<requester region>-<accepter region>`: the addresses depend only on the two regions, so adding
 * or removing a region, or listing the regions in another order, leaves every other pair alone.
 */
export class InterRegionPeeringMesh extends Construct {
  /** Every peering, by construct id (`us-east-1-us-west-2`). */
  readonly peerings: ReadonlyMap<string, InterRegionVpcPeering>;

  constructor(scope: Construct, id: string, props: InterRegionPeeringMeshProps) {
    super(scope, id);
    throwIfProblems(this, meshProblems(props.vpcs));
    const sorted = [...props.vpcs].sort((a, b) => a.region.localeCompare(b.region));
    const peerings = new Map<string, InterRegionVpcPeering>();
    sorted.forEach((requester, i) => {
      for (const accepter of sorted.slice(i + 1)) {
        const pairId = `${requester.region}-${accepter.region}`;
        peerings.set(
          pairId,
          new InterRegionVpcPeering(this, pairId, {
            name: `${props.namePrefix}-${requester.region}-to-${accepter.region}`,
            requester,
            accepter,
            allowRemoteVpcDnsResolution: props.allowRemoteVpcDnsResolution,
          }),
        );
      }
    });
    this.peerings = peerings;
  }
}

/** Where a region's network stack is and how many route tables it has. */
export interface MeshedRegion {
  readonly region: string;
  /** The AWS provider (alias) of `region`. */
  readonly provider: TerraformProvider;
  /** Its availability zones: one private route table each, in `cockroachPrivateRouteTableIds`. */
  readonly availabilityZoneCount: number;
}

/**
 * A region's CockroachDB VPC as the mesh joins it, read from that region's network stack through
 * its contract (`readUpstream(regionalNetworkOutputs(name))`). The route tables are taken one by
 * one (`element(list, i)`), one per AZ, so each route has an address known at synthesis.
 */
export function meshedCockroachVpc(outputs: RemoteOutputs<RegionalNetworkOutputs['outputs']>, at: MeshedRegion): RegionalPeeredVpc {
  return {
    region: at.region,
    provider: at.provider,
    vpcId: outputs.cockroachVpcId,
    cidrBlock: outputs.cockroachVpcCidr,
    routeTableIds: Array.from({ length: at.availabilityZoneCount }, (_, i) => Fn.element(outputs.cockroachPrivateRouteTableIds, i)),
  };
}

function sidesProblems(requester: RegionalPeeredVpc, accepter: RegionalPeeredVpc): PropProblem[] {
  const problems = [...literalRegionProblems('requester.region', requester.region), ...literalRegionProblems('accepter.region', accepter.region)];
  if (requester.region === accepter.region) {
    problems.push({ prop: 'accepter.region', value: accepter.region, message: 'is the requester\'s region too; peer two VPCs of one region with VpcPeering (auto-accepted, no accepter resource)' });
  }
  return problems;
}

function meshProblems(vpcs: readonly RegionalPeeredVpc[]): PropProblem[] {
  return vpcs.flatMap((vpc, i) => {
    const problems = literalRegionProblems(`vpcs[${i}].region`, vpc.region);
    const first = vpcs.findIndex((other) => other.region === vpc.region);
    if (first !== i) problems.push({ prop: `vpcs[${i}].region`, value: vpc.region, message: `is also the region of vpcs[${first}]; the mesh joins one VPC per region` });
    return problems;
  });
}

function literalRegionProblems(prop: string, region: string): PropProblem[] {
  return Token.isUnresolved(region) ? [{ prop, value: region, message: 'must be a literal region name (it names the peering\'s constructs and resources), not a Terraform reference' }] : [];
}

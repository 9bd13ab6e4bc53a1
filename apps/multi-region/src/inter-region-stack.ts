import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { ProductStack, type StateBackendConfig } from '@crdb-ory/core';
import { InterRegionPeeringMesh, meshedCockroachVpc, regionalNetworkOutputs } from '@crdb-ory/network';
import type { Construct } from 'constructs';

/** Stack name of the global inter-region network stack (its state key): API, never rename. */
export const INTER_REGION_STACK_NAME = 'inter-region';

export interface InterRegionStackProps {
  readonly stateBackend: StateBackendConfig;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The region of the stack's default provider. */
  readonly primaryRegion: string;
  /** Every region: its network stack (named per region) and how many AZs (private route tables) it has. */
  readonly regions: ReadonlyArray<{ readonly region: string; readonly networkStackName: string; readonly availabilityZoneCount: number }>;
}

/**
 * The global network stack, in the primary region: the CockroachDB VPCs of every region joined by
 * `InterRegionPeeringMesh` (one peering per pair, each side through an AWS provider aliased to its
 * region), and every region's private zone resolved from every other region's two VPCs. It reads
 * each region's network stack through its contract (`regionalNetworkOutputs`), so it depends on
 * every network stack.
 */
export class InterRegionStack extends ProductStack {
  readonly mesh: InterRegionPeeringMesh;
  /** `<zone's region>-<VPC's region>-<cockroach|ory>`: each region's zone associated with each VPC of the other regions. */
  readonly zoneAssociations: ReadonlyMap<string, Route53ZoneAssociation>;

  constructor(scope: Construct, props: InterRegionStackProps) {
    super(scope, INTER_REGION_STACK_NAME, { stateBackend: props.stateBackend, namePrefix: props.namePrefix });
    const defaultTags = [{ tags: { ...props.tags } }];
    new AwsProvider(this, 'aws', { region: props.primaryRegion, defaultTags });
    const regions = props.regions.map((entry) => ({ ...entry, outputs: this.readUpstream(regionalNetworkOutputs(entry.networkStackName)) }));
    this.mesh = new InterRegionPeeringMesh(this, 'cockroach-mesh', {
      namePrefix: `${props.namePrefix}-cockroach`,
      vpcs: regions.map(({ region, outputs, availabilityZoneCount }) =>
        meshedCockroachVpc(outputs, { region, provider: new AwsProvider(this, `aws-${region}`, { region, alias: region, defaultTags }), availabilityZoneCount }),
      ),
    });
    // Route 53 is global, and an association names the VPC's region (Route 53 API Reference,
    // AssociateVPCWithHostedZone, VPC.VPCRegion); one account, so no authorization is needed
    // (network's PrivateZone says why). Each zone's network stack ignores its in-line VPC list
    // (`privateZoneAssociatedElsewhere`), so applying it never removes these. A VPC resolves
    // several zones whose names nest (`crdb-ory.internal`, `us-east-2.crdb-ory.internal`): Route 53
    // Resolver answers from the most specific one (Route 53 Developer Guide, "Considerations when
    // working with a private hosted zone", overlapping namespaces).
    const associations = new Map<string, Route53ZoneAssociation>();
    for (const zone of regions) {
      for (const vpc of regions.filter((other) => other.region !== zone.region)) {
        for (const [name, vpcId] of [['cockroach', vpc.outputs.cockroachVpcId], ['ory', vpc.outputs.oryVpcId]] as const) {
          const id = `zone-${zone.region}-${vpc.region}-${name}`;
          associations.set(id, new Route53ZoneAssociation(this, id, { zoneId: zone.outputs.privateZoneId, vpcId, vpcRegion: vpc.region }));
        }
      }
    }
    this.zoneAssociations = associations;
  }
}

import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
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
 * region), read from each region's network stack through its contract
 * (`regionalNetworkOutputs`), so it depends on every network stack.
 */
export class InterRegionStack extends ProductStack {
  readonly mesh: InterRegionPeeringMesh;

  constructor(scope: Construct, props: InterRegionStackProps) {
    super(scope, INTER_REGION_STACK_NAME, { stateBackend: props.stateBackend, namePrefix: props.namePrefix });
    const defaultTags = [{ tags: { ...props.tags } }];
    new AwsProvider(this, 'aws', { region: props.primaryRegion, defaultTags });
    this.mesh = new InterRegionPeeringMesh(this, 'cockroach-mesh', {
      namePrefix: `${props.namePrefix}-cockroach`,
      vpcs: props.regions.map(({ region, networkStackName, availabilityZoneCount }) =>
        meshedCockroachVpc(this.readUpstream(regionalNetworkOutputs(networkStackName)), {
          region,
          provider: new AwsProvider(this, `aws-${region}`, { region, alias: region, defaultTags }),
          availabilityZoneCount,
        }),
      ),
    });
  }
}

import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsEips } from '@cdktf/provider-aws/lib/data-aws-eips';
import { DataAwsNatGateway } from '@cdktf/provider-aws/lib/data-aws-nat-gateway';
import { DataAwsNatGateways } from '@cdktf/provider-aws/lib/data-aws-nat-gateways';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { DataAwsVpcs } from '@cdktf/provider-aws/lib/data-aws-vpcs';
import { ELASTIC_IPS_QUOTA, NAT_GATEWAYS_PER_AZ_QUOTA, STATE_TAG_KEY, ServiceQuotaCheck, ServiceQuotaDefinition, VPCS_QUOTA } from '@crdb-ory/core';
import { Fn, Op, TerraformIterator, TerraformLocal, TerraformSelf, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { NatGatewayMode, natGatewaysPerAz, vpcNatGateways } from './nat-gateway-mode';

/** What the network stack holds of each quota-bound resource once applied. */
export interface NetworkQuotaNeeds {
  readonly vpcs: number;
  readonly internetGateways: number;
  readonly elasticIps: number;
  /** NAT gateways per AZ, in the order of `availabilityZones`. */
  readonly natGatewaysPerAz: readonly number[];
}

/** Two VPCs, each with an internet gateway, and the NAT gateways (one Elastic IP each) of `mode`. */
export function networkQuotaNeeds(mode: NatGatewayMode, availabilityZones: readonly string[]): NetworkQuotaNeeds {
  const vpcs = vpcNatGateways(mode);
  const perAz = availabilityZones.map((_, i) => natGatewaysPerAz(vpcs.cockroach, availabilityZones)[i]! + natGatewaysPerAz(vpcs.ory, availabilityZones)[i]!);
  return { vpcs: 2, internetGateways: 2, elasticIps: perAz.reduce((a, b) => a + b, 0), natGatewaysPerAz: perAz };
}

export interface NetworkAccountChecksProps {
  readonly region: string;
  readonly availabilityZones: readonly string[];
  readonly natGateways: NatGatewayMode;
  /** The value of the stack's `STATE_TAG_KEY` tag: what tells its own resources from the rest of the account. */
  readonly stateAddress: string;
}

const LIVE_NAT_STATES = ['pending', 'available'];

/**
 * The network stack's plan-time checks against the account (see `ServiceQuotaCheck`): the zones
 * are available to the account, and the Elastic IPs, VPCs and NAT gateways per zone fit their
 * quotas next to what the rest of the account already holds (the account's listing minus the
 * stack's own resources, found by their state tag).
 */
export class NetworkAccountChecks extends Construct {
  constructor(scope: Construct, id: string, props: NetworkAccountChecksProps) {
    super(scope, id);
    const needs = networkQuotaNeeds(props.natGateways, props.availabilityZones);
    const own = { [STATE_TAG_KEY]: props.stateAddress };
    this.checkZones(props);

    this.regionQuotaCheck('elastic-ips', props, {
      quota: ELASTIC_IPS_QUOTA,
      needed: needs.elasticIps,
      listing: (id, tags) => new DataAwsEips(this, id === 'all' ? 'eips' : 'own-eips', tags ? { tags } : {}).allocationIds,
      own,
      what: `network.natGateways "${props.natGateways}" allocates ${needs.elasticIps} Elastic IPs (one per NAT gateway)`,
      alternative: props.natGateways === 'single' ? undefined : 'or set network.natGateways to "single" (2 Elastic IPs; see docs/network.md)',
    });
    this.regionQuotaCheck('vpcs-quota', props, {
      quota: VPCS_QUOTA,
      needed: needs.vpcs,
      listing: (id, tags) => new DataAwsVpcs(this, id === 'all' ? 'vpcs' : 'own-vpcs', tags ? { tags } : {}).ids,
      own,
      what: `the network stack creates ${needs.vpcs} VPCs (network.cockroachVpc and network.oryVpc; the region's default VPC counts too)`,
    });

    const othersPerAz = this.natGatewaysOfOthersPerAz(props.availabilityZones, own);
    props.availabilityZones.forEach((zone, i) => {
      new ServiceQuotaCheck(this, `nat-gateways-${i}`, {
        quota: NAT_GATEWAYS_PER_AZ_QUOTA,
        region: props.region,
        needed: needs.natGatewaysPerAz[i]!,
        usedByOthers: Token.asNumber(Fn.lookup(othersPerAz.asAnyMap, zone, 0)),
        what: `network.natGateways "${props.natGateways}" puts ${needs.natGatewaysPerAz[i]} NAT gateways in ${zone} (availabilityZones[${i}])`,
      });
    });
  }

  /** A regional quota: what the account lists (`listing` without tags) less the stack's own (`listing` with its state tag) is in use by others. */
  private regionQuotaCheck(
    id: string,
    props: NetworkAccountChecksProps,
    check: { quota: ServiceQuotaDefinition; needed: number; listing: (id: 'all' | 'own', tags?: Record<string, string>) => string[]; own: Record<string, string>; what: string; alternative?: string },
  ): void {
    const [all, mine] = [check.listing('all'), check.listing('own', check.own)];
    new ServiceQuotaCheck(this, id, {
      quota: check.quota,
      region: props.region,
      needed: check.needed,
      usedByOthers: Op.sub(Fn.lengthOf(all), Fn.lengthOf(mine)),
      what: check.what,
      alternative: check.alternative,
    });
  }

  /** Stops the plan when a zone of `availabilityZones` is not available to this account (an outage, an opt-in zone, another account's zone names). */
  private checkZones(props: NetworkAccountChecksProps): void {
    new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      lifecycle: {
        postcondition: [
          {
            condition: Op.lt(Fn.lengthOf(Fn.setsubtract([...props.availabilityZones], TerraformSelf.getAny('names'))), 1),
            errorMessage: `availabilityZones lists ${Fn.join(', ', Fn.sort(Fn.tolist(Fn.setsubtract([...props.availabilityZones], TerraformSelf.getAny('names')))))}, which this account cannot use in ${props.region} now (DescribeAvailabilityZones answers only ${Fn.join(', ', TerraformSelf.getAny('names'))} as available): choose available zones of ${props.region}; then plan again.`,
          },
        ],
      },
    });
  }

  /**
   * NAT gateways of the rest of the account (live ones, not the stack's own) per zone, as a local
   * map zone => count: each gateway's subnet gives its zone. Bounded by the quota itself.
   */
  private natGatewaysOfOthersPerAz(zones: readonly string[], own: Record<string, string>): TerraformLocal {
    const state = [{ name: 'state', values: LIVE_NAT_STATES }];
    const all = new DataAwsNatGateways(this, 'nat-gateways', { filter: state });
    const mine = new DataAwsNatGateways(this, 'own-nat-gateways', { filter: state, tags: own });
    const others = TerraformIterator.fromList(Fn.setsubtract(all.ids, mine.ids));
    const gateways = new DataAwsNatGateway(this, 'other-nat-gateway', { forEach: others, id: others.value });
    const subnets = new DataAwsSubnet(this, 'other-nat-gateway-subnet', { id: '' });
    const stack = TerraformStack.of(this);
    const gatewaysAddress = `data.aws_nat_gateway.${stack.getLogicalId(gateways)}`;
    const subnetsAddress = `data.aws_subnet.${stack.getLogicalId(subnets)}`;
    // for_each over the subnets the gateways are in: an expression cdktf's iterators cannot write, so set verbatim.
    subnets.addOverride('for_each', `\${toset([for gateway in ${gatewaysAddress} : gateway.subnet_id])}`);
    subnets.addOverride('id', '${each.value}');
    return new TerraformLocal(
      stack,
      'nat_gateways_of_others_per_az',
      `\${ { for zone in ${JSON.stringify(zones)} : zone => length([for gateway in ${gatewaysAddress} : gateway.id if ${subnetsAddress}[gateway.subnet_id].availability_zone == zone]) } }`,
    );
  }
}

import { availabilityZonesOf } from './aws-ec2-facts';
import { PRODUCT_SERVICE_QUOTAS, ON_DEMAND_STANDARD_VCPUS_QUOTA } from './service-quotas';
import type { SynthesizedStackJson } from './stack-review';
import { dataSourcesOfType } from './synthesized-resources';

/**
 * The account the offline review's mocked plans run against: a fresh account at AWS's documented
 * default quotas, except the vCPU quota raised to 64 as docs/network.md tells operators to request
 * before the first deploy (the documented default, 5, holds no three-node cluster), with the
 * region's default VPC and one NAT gateway (and its Elastic IP) of another team in the first zone,
 * and no running instance (the defaults need all 64 vCPUs).
 */
export const MOCK_ACCOUNT = {
  quotas: Object.fromEntries(PRODUCT_SERVICE_QUOTAS.map((quota) => [quota.quotaCode, quota === ON_DEMAND_STANDARD_VCPUS_QUOTA ? 64 : quota.defaultValue])) as Readonly<Record<string, number>>,
  otherVpcIds: ['vpc-0defa017000000001'],
  otherElasticIpAllocationIds: ['eipalloc-0a1b2c3d4e5f60001'],
  otherNatGateway: { id: 'nat-0a1b2c3d4e5f60001', subnetId: 'subnet-0a1b2c3d4e5f60001' },
} as const;

/**
 * `override_data` values of the account-check data sources of a stack (`ServiceQuotaCheck`,
 * `InstanceTypeOfferedCheck`, the network stack's listings, `OnDemandStandardVcpusInUse`) for `MOCK_ACCOUNT` in `region`: the
 * listings that carry a state tag (the stack's own resources) are empty, as on a first deploy.
 */
export function accountCheckOverrides(stack: SynthesizedStackJson, region: string, quotas: Readonly<Record<string, number>> = MOCK_ACCOUNT.quotas): Record<string, Record<string, unknown>> {
  const zones = [...(availabilityZonesOf(region) ?? [])];
  const own = (config: Readonly<Record<string, unknown>>) => config['tags'] !== undefined;
  const entries: Array<[string, Record<string, unknown>]> = [
    ...dataSourcesOfType(stack, 'aws_servicequotas_service_quota').map((d): [string, Record<string, unknown>] => [d.address, { value: quotas[String(d.config['quota_code'])] ?? 0 }]),
    ...dataSourcesOfType(stack, 'aws_availability_zones').map((d): [string, Record<string, unknown>] => [d.address, { names: zones }]),
    ...dataSourcesOfType(stack, 'aws_ec2_instance_type_offerings').map((d): [string, Record<string, unknown>] => {
      const filters = (d.config['filter'] ?? []) as Array<{ name: string; values: unknown }>;
      const types = (filters.find((f) => f.name === 'instance-type')?.values ?? []) as string[];
      const offered = zones.flatMap((zone) => types.map((type) => ({ type, zone })));
      return [d.address, { instance_types: offered.map((o) => o.type), locations: offered.map((o) => o.zone), location_types: offered.map(() => 'availability-zone') }];
    }),
    ...dataSourcesOfType(stack, 'aws_eips').map((d): [string, Record<string, unknown>] => [d.address, { allocation_ids: own(d.config) ? [] : [...MOCK_ACCOUNT.otherElasticIpAllocationIds], public_ips: [] }]),
    ...dataSourcesOfType(stack, 'aws_vpcs').map((d): [string, Record<string, unknown>] => [d.address, { ids: own(d.config) ? [] : [...MOCK_ACCOUNT.otherVpcIds] }]),
    ...dataSourcesOfType(stack, 'aws_nat_gateways').map((d): [string, Record<string, unknown>] => [d.address, { ids: own(d.config) ? [] : [MOCK_ACCOUNT.otherNatGateway.id] }]),
    ...dataSourcesOfType(stack, 'aws_nat_gateway').map((d): [string, Record<string, unknown>] => [d.address, { subnet_id: MOCK_ACCOUNT.otherNatGateway.subnetId }]),
    ...dataSourcesOfType(stack, 'aws_instances').map((d): [string, Record<string, unknown>] => [d.address, { ids: [] }]),
    ...dataSourcesOfType(stack, 'aws_subnet').map((d): [string, Record<string, unknown>] => [d.address, { availability_zone: zones[0] }]),
  ];
  return Object.fromEntries(entries);
}

/** The region of a stack's aws provider (literal), for its mocks. */
export function awsRegionOf(stack: SynthesizedStackJson): string {
  const configs = stack.provider?.['aws'];
  const first = (Array.isArray(configs) ? configs[0] : configs) as { region?: unknown } | undefined;
  if (typeof first?.region !== 'string') throw new Error('the stack configures no aws provider with a literal region');
  return first.region;
}

/** `overrideData` of a stack review whose stack has account checks: `MOCK_ACCOUNT` in the stack's region. */
export function mockAccountOverrides(stack: SynthesizedStackJson): Record<string, Record<string, unknown>> {
  return accountCheckOverrides(stack, awsRegionOf(stack));
}

import { availabilityZonesOf, awsRegionNames, ec2FactsSource } from '@crdb-ory/core';

/** One problem with where the network is placed: `region`, or an entry of `availabilityZones`. */
export interface PlacementProblem {
  readonly prop: 'region' | 'availabilityZones';
  /** Position in `availabilityZones`; absent for the region. */
  readonly index?: number;
  readonly value: string;
  readonly message: string;
}

/**
 * A region and availability zones that exist, checked against AWS's own zone list (the EC2 facts
 * of `@crdb-ory/core`). Whether the account may use them (an opt-in region, a zone not offered
 * to this account) is checked at plan time, by the network stack's account checks.
 */
export function placementProblems(region: string, availabilityZones: readonly string[]): PlacementProblem[] {
  const zones = availabilityZonesOf(region);
  if (!zones) {
    return [{ prop: 'region', value: region, message: `is not an AWS region (${ec2FactsSource()} zone data knows ${awsRegionNames().join(', ')})` }];
  }
  const problems: PlacementProblem[] = availabilityZones.flatMap((zone, index) =>
    zones.includes(zone) ? [] : [{ prop: 'availabilityZones' as const, index, value: zone, message: `is not an availability zone of ${region}; ${region} has ${zones.join(', ')}` }],
  );
  availabilityZones.forEach((zone, index) => {
    if (availabilityZones.indexOf(zone) !== index) problems.push({ prop: 'availabilityZones', index, value: zone, message: 'is listed twice; each availability zone holds one subnet of each tier' });
  });
  return problems;
}

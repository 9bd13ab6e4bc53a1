import { PropProblem, availabilityZonesOf, awsRegionNames, ec2FactsSource } from '@crdb-ory/core';

/**
 * A region and availability zones that exist, checked against AWS's own zone list (the EC2 facts
 * of `@crdb-ory/core`). Whether the account may use them (an opt-in region, a zone not offered
 * to this account) is checked at plan time, by the network stack's account checks.
 */
export function placementProblems(region: string, availabilityZones: readonly string[]): PropProblem[] {
  const zones = availabilityZonesOf(region);
  if (!zones) {
    return [{ prop: 'region', value: region, message: `is not an AWS region (${ec2FactsSource()} zone data knows ${awsRegionNames().join(', ')})` }];
  }
  const problems: PropProblem[] = availabilityZones.flatMap((zone, index) =>
    zones.includes(zone) ? [] : [{ prop: `availabilityZones[${index}]`, value: zone, message: `is not an availability zone of ${region}; ${region} has ${zones.join(', ')}` }],
  );
  availabilityZones.forEach((zone, index) => {
    if (availabilityZones.indexOf(zone) !== index) problems.push({ prop: `availabilityZones[${index}]`, value: zone, message: 'is listed twice; each availability zone holds one subnet of each tier' });
  });
  return problems;
}

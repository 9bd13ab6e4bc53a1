import { MOCK_ACCOUNT, StackReview, SynthesizedResource, SynthesizedStackJson, TerraformTestAssertion, awsRegionOf, dataSourcesOfType, mockAccountOverrides, referenceTo, resourcesOfType } from '@crdb-ory/core';
import { NETWORK_OUTPUTS, NETWORK_STACK_NAME } from './network-outputs';

/** What the offline review checks on the `network` stack after a mocked apply. */
export const NETWORK_REVIEW: StackReview = {
  stackName: NETWORK_STACK_NAME,
  // The topic policy names the topic by ARN, which the provider validates.
  mockResources: { aws_sns_topic: { arn: NETWORK_OUTPUTS.outputs.alarmTopicArn.example } },
  upstream: [],
  outputs: NETWORK_OUTPUTS,
  overrideData: mockAccountOverrides,
  assertions: (stack) => [
    ...accountCheckAssertions(stack),
    ...resourcesOfType(stack, 'aws_vpc').flatMap((vpc) => vpcAssertions(stack, vpc)),
    ...peeringAssertions(stack),
    ...privateZoneAssertions(stack),
    ...alarmTopicAssertions(stack),
  ],
};

/** The alarm topic: encrypted with its own key, and CloudWatch (of this account) may both publish and use the key. */
function alarmTopicAssertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
  return resourcesOfType(stack, 'aws_sns_topic').flatMap((topic) => {
    const policy = resourcesOfType(stack, 'aws_sns_topic_policy').find((p) => p.config['arn'] === referenceTo(topic, 'arn'));
    const key = resourcesOfType(stack, 'aws_kms_key').find((k) => topic.config['kms_master_key_id'] === referenceTo(k, 'arn'));
    const allowsCloudWatch = (document: string) =>
      `anytrue([for s in jsondecode(${document}).Statement : s.Effect == "Allow" && try(s.Principal.Service, "") == "cloudwatch.amazonaws.com"])`;
    return [
      { condition: key ? `${topic.address}.kms_master_key_id == ${key.address}.arn` : 'false', errorMessage: `${topic.address} must be encrypted with a customer-managed key of the stack.` },
      { condition: key ? allowsCloudWatch(`${key.address}.policy`) : 'false', errorMessage: `The key of ${topic.address} must let CloudWatch use it (alarms cannot publish to an encrypted topic otherwise).` },
      { condition: policy ? allowsCloudWatch(`${policy.address}.policy`) : 'false', errorMessage: `The policy of ${topic.address} must let CloudWatch publish.` },
    ];
  });
}

function vpcAssertions(stack: SynthesizedStackJson, vpc: SynthesizedResource): TerraformTestAssertion[] {
  const belongs = (r: SynthesizedResource) => r.config['vpc_id'] === referenceTo(vpc, 'id');
  const privateSubnets = resourcesOfType(stack, 'aws_subnet').filter((s) => belongs(s) && tagOf(s, 'Tier') === 'private');
  const azs = privateSubnets.map((s) => `${s.address}.availability_zone`);
  const defaultGroups = resourcesOfType(stack, 'aws_default_security_group').filter(belongs);
  const flowLogs = resourcesOfType(stack, 'aws_flow_log').filter(belongs);
  return [
    {
      condition: `length(distinct([${azs.join(', ')}])) == 3`,
      errorMessage: `${vpc.address} must have three private subnets in three distinct availability zones.`,
    },
    {
      condition: `${defaultGroups.length} == 1 && alltrue([${defaultGroups.map((g) => `length(${g.address}.ingress) + length(${g.address}.egress) == 0`).join(', ')}])`,
      errorMessage: `The default security group of ${vpc.address} must exist and have no rules.`,
    },
    {
      condition: `anytrue([${flowLogs.map((f) => `${f.address}.traffic_type == "ALL" && ${f.address}.log_destination_type == "cloud-watch-logs"`).join(', ')}])`,
      errorMessage: `${vpc.address} must have flow logs of all traffic to CloudWatch Logs.`,
    },
  ];
}

function peeringAssertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
  const vpcs = resourcesOfType(stack, 'aws_vpc');
  return resourcesOfType(stack, 'aws_vpc_peering_connection').map((peering) => {
    const routes = resourcesOfType(stack, 'aws_route').filter((r) => r.config['vpc_peering_connection_id'] === referenceTo(peering, 'id'));
    const destinations = `[${routes.map((r) => `${r.address}.destination_cidr_block`).join(', ')}]`;
    return {
      condition: `${peering.address}.auto_accept && alltrue([${vpcs.map((v) => `contains(${destinations}, ${v.address}.cidr_block)`).join(', ')}])`,
      errorMessage: `${peering.address} must be accepted and have routes to both VPCs' CIDR blocks.`,
    };
  });
}

function privateZoneAssertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
  const vpcIds = resourcesOfType(stack, 'aws_vpc').map((v) => `${v.address}.id`);
  return resourcesOfType(stack, 'aws_route53_zone').map((zone) => ({
    condition: `toset([for v in ${zone.address}.vpc : v.vpc_id]) == toset([${vpcIds.join(', ')}])`,
    errorMessage: `${zone.address} must be a private zone associated with both VPCs.`,
  }));
}

/**
 * The account checks count the rest of the account the way the quotas do: the mock account's
 * other NAT gateway lands in its subnet's zone (the first) and nowhere else, and its Elastic IP
 * and the default VPC count as others, not as the stack's own.
 */
function accountCheckAssertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
  const zones = (stack.output?.['availability_zones']?.value ?? []) as string[];
  const expected = `{ ${zones.map((zone, i) => `"${zone}" = ${i === 0 ? 1 : 0}`).join(', ')} }`;
  const listings = (type: string, attribute: string) => dataSourcesOfType(stack, type).map((d) => `length(${d.address}.${attribute}) * ${d.config['tags'] === undefined ? 1 : -1}`);
  return [
    { condition: `local.nat_gateways_of_others_per_az == ${expected}`, errorMessage: `Another team's NAT gateway must count in its own zone (${zones[0]}) and no other.` },
    { condition: `${listings('aws_eips', 'allocation_ids').join(' + ')} == ${MOCK_ACCOUNT.otherElasticIpAllocationIds.length}`, errorMessage: 'Elastic IPs of others must be the account listing minus the stack\'s own.' },
    { condition: `${listings('aws_vpcs', 'ids').join(' + ')} == ${MOCK_ACCOUNT.otherVpcIds.length}`, errorMessage: 'VPCs of others (the default VPC) must count against the VPC quota.' },
    ...dataSourcesOfType(stack, 'aws_availability_zones').map((d) => ({ condition: `length(setsubtract(${JSON.stringify(zones)}, ${d.address}.names)) == 0`, errorMessage: `The zones check must see every configured zone of ${awsRegionOf(stack)} as available.` })),
  ];
}

function tagOf(resource: SynthesizedResource, key: string): unknown {
  return (resource.config['tags'] as Record<string, unknown> | undefined)?.[key];
}

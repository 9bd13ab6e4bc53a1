import { StackReview, SynthesizedResource, SynthesizedStackJson, TerraformTestAssertion, referenceTo, resourcesOfType } from '@crdb-ory/core';
import { NETWORK_OUTPUTS, NETWORK_STACK_NAME } from './network-outputs';

/** What the offline review checks on the `network` stack after a mocked apply. */
export const NETWORK_REVIEW: StackReview = {
  stackName: NETWORK_STACK_NAME,
  // The topic policy names the topic by ARN, which the provider validates.
  mockResources: { aws_sns_topic: { arn: NETWORK_OUTPUTS.outputs.alarmTopicArn.example } },
  upstream: [],
  outputs: NETWORK_OUTPUTS,
  assertions: (stack) => [
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

function tagOf(resource: SynthesizedResource, key: string): unknown {
  return (resource.config['tags'] as Record<string, unknown> | undefined)?.[key];
}

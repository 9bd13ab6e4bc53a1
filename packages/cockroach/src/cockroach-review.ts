import { SynthesizedStackJson, StackReview, TerraformTestAssertion, cidrHost, isIpv4Cidr, mockAccountOverrides, parseIpv4Cidr, resourcesOfType } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { NODE_IP_HOST_OFFSET } from './cockroach-names';
import { COCKROACH_BACKUP_OUTPUTS } from './backup/backup-outputs';
import { COCKROACH_OUTPUTS, COCKROACH_STACK_NAME } from './cockroach-outputs';
import { COCKROACH_PKI_OUTPUTS, COCKROACH_PKI_STACK_NAME } from './cockroach-pki-outputs';
import { HEALTH_CHECK_PATH } from './cluster/sql-load-balancer';

/** Addresses (`type.name`) of every resource of `type` in the synthesized stack. */
function addresses(stack: SynthesizedStackJson, type: string): string[] {
  return resourcesOfType(stack, type).map((resource) => resource.address);
}

function each(stack: SynthesizedStackJson, type: string, property: string, expected: string, what: string): TerraformTestAssertion[] {
  return addresses(stack, type).map((address) => ({ condition: `${address}.${property} == ${expected}`, errorMessage: `${address}: ${what}` }));
}

/** The fixed node IPs of these private subnets (one node in each, as `nodePrivateIp` computes them in Terraform), known before the instances exist. */
export function nodeIpsOfSubnets(privateSubnetCidrs: readonly string[]): string[] {
  return privateSubnetCidrs.map((text) => {
    const cidr = parseIpv4Cidr(text);
    if (!isIpv4Cidr(cidr)) throw new Error(`subnet CIDR ${text} ${cidr.error}`);
    return cidrHost(cidr, NODE_IP_HOST_OFFSET);
  });
}

/** What the offline review asserts after a mocked apply of the `cockroach` stack. */
export const COCKROACH_REVIEW: StackReview = cockroachStackReview(nodeIpsOfSubnets(NETWORK_OUTPUTS.outputs.cockroachPrivateSubnetCidrs.example));

/**
 * What the offline review asserts after a mocked apply of a `cockroach` stack whose nodes have
 * `ips` (`nodeIpsOfSubnets`): the network contract's example subnets' in the single-region app
 * (`COCKROACH_REVIEW`), a region's own subnets' in a multi-region app.
 */
export function cockroachStackReview(ips: readonly string[]): StackReview {
  return {
    // The AMI the Amazon Linux 2023 parameter resolves to: one stable id, as in AWS between two
    // releases (a random one per run would make every plan show the nodes' settings changing).
    mockData: { aws_ssm_parameter: { insecure_value: 'ami-0123456789abcdef0', value: 'ami-0123456789abcdef0' } },
    stackName: COCKROACH_STACK_NAME,
    upstream: [NETWORK_OUTPUTS, COCKROACH_PKI_OUTPUTS, COCKROACH_BACKUP_OUTPUTS],
    outputs: COCKROACH_OUTPUTS,
    overrideData: mockAccountOverrides,
    assertions(stack) {
      const instances = addresses(stack, 'aws_instance');
      return [
        { condition: `length([${instances.join(', ')}]) == 3`, errorMessage: 'the cluster has three nodes' },
        { condition: `length(distinct([${instances.map((a) => `${a}.subnet_id`).join(', ')}])) == 3`, errorMessage: 'the three nodes are in three distinct subnets' },
        ...instances.map((a, i) => ({ condition: `${a}.private_ip == "${ips[i]}"`, errorMessage: `${a} has the fixed private IP ${ips[i]}` })),
        ...each(stack, 'aws_instance', 'metadata_options[0].http_tokens', '"required"', 'IMDSv2 only (http_tokens = required)'),
        ...each(stack, 'aws_ec2_subnet_cidr_reservation', 'reservation_type', '"explicit"', 'node IP reservation is explicit (AWS never assigns it by itself)'),
        ...addresses(stack, 'aws_ec2_subnet_cidr_reservation').map((a, i) => ({ condition: `${a}.cidr_block == "${ips[i]}/32"`, errorMessage: `${a} reserves the node IP ${ips[i]}` })),
        { condition: 'length(output.nodes_pending_replacement) == 0', errorMessage: 'a fresh deploy runs every node on its configured settings (nodes_pending_replacement is empty)' },
        ...each(stack, 'aws_ebs_volume', 'encrypted', 'true', 'data volume is encrypted'),
        ...each(stack, 'aws_ebs_volume', 'type', '"gp3"', 'data volume is gp3'),
        ...each(stack, 'aws_lb', 'internal', 'true', 'the SQL load balancer is internal'),
        ...each(stack, 'aws_lb', 'load_balancer_type', '"network"', 'the SQL load balancer is a Network Load Balancer'),
        ...each(stack, 'aws_lb', 'enable_cross_zone_load_balancing', 'true', 'cross-zone load balancing is on'),
        ...each(stack, 'aws_lb_target_group', 'health_check[0].path', `"${HEALTH_CHECK_PATH}"`, `health check path is ${HEALTH_CHECK_PATH}`),
        ...each(stack, 'aws_lb_target_group', 'health_check[0].port', '"8080"', 'health check on port 8080'),
        ...addresses(stack, 'aws_vpc_security_group_ingress_rule').map((a) => ({
          condition: `${a}.cidr_ipv4 == null || ${a}.cidr_ipv4 != "0.0.0.0/0"`,
          errorMessage: `${a} is not open to the internet`,
        })),
        ...alarmAssertions(stack, instances),
      ];
    },
  };
}

/** With alarms on: each node's two status checks watch that very instance, the system check recovers it, every alarm notifies someone. */
function alarmAssertions(stack: SynthesizedStackJson, instances: string[]): TerraformTestAssertion[] {
  const alarms = addresses(stack, 'aws_cloudwatch_metric_alarm');
  if (alarms.length === 0) return [];
  const on = (metric: string, instance: string) => `[for a in [${alarms.join(', ')}] : a if a.metric_name == "${metric}" && lookup(a.dimensions, "InstanceId", "") == ${instance}.id]`;
  return [
    ...instances.flatMap((instance) => [
      { condition: `length(${on('StatusCheckFailed_Instance', instance)}) == 1`, errorMessage: `${instance}: one instance status-check alarm on its instance id` },
      {
        condition: `length([for a in ${on('StatusCheckFailed_System', instance)} : a if anytrue([for action in a.alarm_actions : endswith(action, ":ec2:recover")])]) == 1`,
        errorMessage: `${instance}: one system status-check alarm that recovers it`,
      },
    ]),
    ...alarms.map((a) => ({ condition: `length(${a}.alarm_actions) > 0 && length(${a}.ok_actions) > 0`, errorMessage: `${a}: notifies the alarm topic when it fires and when it recovers` })),
  ];
}

/**
 * The `cockroach-pki` stack needs the tls provider, which cannot be installed offline here: the
 * review can only report it as not checkable; these assertions serve wherever it can run.
 */
export const COCKROACH_PKI_REVIEW: StackReview = {
  stackName: COCKROACH_PKI_STACK_NAME,
  upstream: [NETWORK_OUTPUTS],
  outputs: COCKROACH_PKI_OUTPUTS,
  assertions(stack) {
    const [kmsKey] = addresses(stack, 'aws_kms_key');
    return [
      ...each(stack, 'tls_self_signed_cert', 'is_ca_certificate', 'true', 'the CA certificate is CA:true'),
      ...each(stack, 'aws_secretsmanager_secret', 'kms_key_id', `${kmsKey}.arn`, 'secret is encrypted with the PKI KMS key'),
      ...each(stack, 'aws_kms_key', 'enable_key_rotation', 'true', 'KMS key rotation is on'),
      {
        condition: `length([${addresses(stack, 'aws_secretsmanager_secret_policy').join(', ')}]) == length([${addresses(stack, 'aws_secretsmanager_secret').join(', ')}])`,
        errorMessage: 'every certificate secret has a resource policy',
      },
      ...each(stack, 'aws_secretsmanager_secret_policy', 'block_public_policy', 'true', 'secret policy blocks public access'),
    ];
  },
};

import { mockAccountOverrides, resourcesOfType, type StackReview, type SynthesizedStackJson, type TerraformTestAssertion } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { KUBERNETES_API_PORT } from './control-plane-security-group';
import { EKS_OUTPUTS, EKS_STACK_NAME } from './eks-outputs';

/** The one resource of `type` in the stack: its Terraform address. */
function onlyAddress(stack: SynthesizedStackJson, type: string): string {
  const resources = resourcesOfType(stack, type);
  if (resources.length !== 1) throw new Error(`EKS review: expected one ${type}, found ${resources.length}.`);
  return resources[0]!.address;
}

/**
 * The cluster, when the stack gives operators no way to its API (no public endpoint, no rule
 * admitting anyone to 443): its precondition must stop the plan, before anything is created.
 * Read from the resources themselves, not from the precondition, so Terraform proves the two agree.
 */
function unreachableCluster(stack: SynthesizedStackJson): string[] {
  const cluster = resourcesOfType(stack, 'aws_eks_cluster')[0];
  if (!cluster) return [];
  const vpcConfig = cluster.config['vpc_config'] as { endpoint_public_access?: unknown } | undefined;
  const apiRules = resourcesOfType(stack, 'aws_vpc_security_group_ingress_rule').filter(
    (rule) => Number(rule.config['from_port']) <= KUBERNETES_API_PORT && KUBERNETES_API_PORT <= Number(rule.config['to_port']),
  );
  return vpcConfig?.endpoint_public_access === true || apiRules.length > 0 ? [] : [cluster.address];
}

/**
 * What the mocked apply of the `eks` stack must show, whatever the mock values are. The mocks
 * give the computed values the aws provider validates (role, policy and key ARNs, the launch
 * template id, an add-on version, the cluster's CA and OIDC blocks the outputs read, the
 * deployer's IAM role). A stack nobody can reach must instead stop at plan time.
 */
export const EKS_REVIEW: StackReview = {
  mockResources: {
    aws_iam_role: { arn: 'arn:aws:iam::123456789012:role/mock-role' },
    aws_iam_policy: { arn: 'arn:aws:iam::123456789012:policy/mock-policy' },
    aws_kms_key: { arn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000' },
    aws_launch_template: { id: 'lt-0e0000000000000a1' },
    // The Auto Scaling group EKS creates for the node group (the node status-check alarm's dimension).
    aws_eks_node_group: { resources: [{ autoscaling_groups: [{ name: 'eks-crdb-ory-eks-default-0a1b2c3d' }], remote_access_security_group_id: '' }] },
    aws_eks_cluster: {
      arn: EKS_OUTPUTS.outputs.clusterArn.example,
      identity: [{ oidc: [{ issuer: EKS_OUTPUTS.outputs.clusterOidcIssuerUrl.example }] }],
      certificate_authority: [{ data: EKS_OUTPUTS.outputs.clusterCertificateAuthorityData.example }],
    },
  },
  mockData: {
    aws_eks_addon_version: { version: 'v1.0.0-eksbuild.1' },
    aws_iam_session_context: { issuer_arn: 'arn:aws:iam::123456789012:role/mock-deployer' },
    // The recommended EKS AL2023 AMI release AWS publishes: one stable value, as between two releases.
    aws_ssm_parameter: { insecure_value: '1.35.0-20260101', value: '1.35.0-20260101' },
  },
  expectedPlanFailures: unreachableCluster,
  stackName: EKS_STACK_NAME,
  overrideData: mockAccountOverrides,
  upstream: [NETWORK_OUTPUTS],
  outputs: EKS_OUTPUTS,
  assertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
    const cluster = onlyAddress(stack, 'aws_eks_cluster');
    const nodeGroup = onlyAddress(stack, 'aws_eks_node_group');
    const launchTemplate = onlyAddress(stack, 'aws_launch_template');
    const controlPlaneGroup = resourcesOfType(stack, 'aws_security_group').find((group) => group.name.startsWith('control-plane-security-group'));
    return [
      ...(controlPlaneGroup
        ? [{ condition: `contains(${cluster}.vpc_config[0].security_group_ids, ${controlPlaneGroup.address}.id)`, errorMessage: 'The control plane must carry the operator-access security group.' }]
        : []),
      ...deployerAssertions(stack),
      { condition: `${cluster}.access_config[0].authentication_mode == "API"`, errorMessage: 'The cluster must use API authentication (access entries only).' },
      { condition: `${cluster}.access_config[0].bootstrap_cluster_creator_admin_permissions == false`, errorMessage: 'The cluster creator must not become an implicit admin.' },
      { condition: `${cluster}.vpc_config[0].endpoint_private_access == true`, errorMessage: 'The private API endpoint must be on.' },
      { condition: `length(${cluster}.vpc_config[0].subnet_ids) == 3`, errorMessage: 'The control plane must span the three private subnets.' },
      { condition: `contains(${cluster}.encryption_config[0].resources, "secrets")`, errorMessage: 'Kubernetes Secrets must be envelope-encrypted with KMS.' },
      { condition: `${cluster}.encryption_config[0].provider[0].key_arn == aws_kms_key.${keyName(stack)}.arn`, errorMessage: 'Secrets must be encrypted with the key this stack creates.' },
      { condition: `length(setintersection(${cluster}.enabled_cluster_log_types, ["api", "audit", "authenticator"])) == 3`, errorMessage: 'api, audit and authenticator logs must be on.' },
      { condition: `length(${nodeGroup}.subnet_ids) == 3`, errorMessage: 'The node group must span three subnets (one per AZ).' },
      { condition: `${nodeGroup}.ami_type == "AL2023_x86_64_STANDARD"`, errorMessage: 'Nodes must run Amazon Linux 2023.' },
      { condition: `${nodeGroup}.update_config[0].max_unavailable == 1`, errorMessage: 'Node updates must take at most one node away.' },
      { condition: `${launchTemplate}.metadata_options[0].http_tokens == "required"`, errorMessage: 'Nodes must require IMDSv2.' },
      { condition: `${launchTemplate}.block_device_mappings[0].ebs[0].encrypted == "true"`, errorMessage: 'Node root volumes must be encrypted.' },
      { condition: `${launchTemplate}.key_name == null`, errorMessage: 'Nodes must have no SSH key.' },
      ...resourcesOfType(stack, 'aws_cloudwatch_metric_alarm').map((alarm) => ({
        condition: `${alarm.address}.dimensions.AutoScalingGroupName == ${nodeGroup}.resources[0].autoscaling_groups[0].name && length(${alarm.address}.alarm_actions) > 0`,
        errorMessage: "The node alarm must watch the node group's own Auto Scaling group and notify the alarm topic.",
      })),
    ];
  },
};

/** The deployer's access entry, when the stack has one, names the IAM role behind the caller's session. */
function deployerAssertions(stack: SynthesizedStackJson): TerraformTestAssertion[] {
  const session = Object.keys(stack.data?.['aws_iam_session_context'] ?? {})[0];
  if (!session) return [];
  const entry = resourcesOfType(stack, 'aws_eks_access_entry').find((e) => e.config['principal_arn'] === `\${data.aws_iam_session_context.${session}.issuer_arn}`);
  if (!entry) throw new Error('EKS review: the stack resolves the deployer but has no access entry for it.');
  return [{ condition: `${entry.address}.principal_arn == data.aws_iam_session_context.${session}.issuer_arn`, errorMessage: "The deployer's access entry must name the IAM role behind the caller's session." }];
}

function keyName(stack: SynthesizedStackJson): string {
  return onlyAddress(stack, 'aws_kms_key').split('.')[1];
}

import type { SynthesizedStackJson } from './stack-review';
import { resourcesOfType } from './synthesized-resources';

/**
 * Where AWS keys a name's uniqueness: `partition` (every account: S3 buckets), `account` (IAM,
 * every region), `region` (per account and region), `vpc` (per VPC: security groups).
 */
export type NameScope = 'partition' | 'account' | 'region' | 'vpc';

/** A resource type whose name AWS refuses (or silently reuses) a second time within `scope`. */
export interface UniqueNameRule {
  /** The attributes that carry the name (`name_prefix` is the same name with a suffix AWS adds). */
  readonly attributes: readonly string[];
  readonly scope: NameScope;
  /** The AWS API reference that states the uniqueness (or what a second create does). */
  readonly source: string;
}

const IAM_NAMES = 'IAM API reference, CreateRole/CreatePolicy/CreateInstanceProfile: user, group, role and policy names are unique within the account, case-insensitively (docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html)';

/**
 * Every resource type the stacks synthesize whose name AWS keys uniqueness on, and the attribute.
 * Two environments in one account and region must never share one of these names.
 */
export const ACCOUNT_UNIQUE_NAMES: Readonly<Record<string, UniqueNameRule>> = {
  aws_iam_role: { attributes: ['name', 'name_prefix'], scope: 'account', source: IAM_NAMES },
  aws_iam_policy: { attributes: ['name', 'name_prefix'], scope: 'account', source: IAM_NAMES },
  aws_iam_instance_profile: { attributes: ['name', 'name_prefix'], scope: 'account', source: IAM_NAMES },
  aws_s3_bucket: { attributes: ['bucket', 'bucket_prefix'], scope: 'partition', source: 'S3 User Guide, bucket naming rules: unique across all accounts and regions of a partition (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)' },
  aws_kms_alias: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'KMS API reference, CreateAlias: "The alias must be unique in the account and Region" (docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html)' },
  aws_cloudwatch_log_group: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'CloudWatch Logs API reference, CreateLogGroup: unique within a region of an account (ResourceAlreadyExistsException) (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html)' },
  aws_cloudwatch_metric_alarm: { attributes: ['alarm_name'], scope: 'region', source: 'CloudWatch API reference, PutMetricAlarm: AlarmName is unique within the region; a second PutMetricAlarm with the name replaces the alarm (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html)' },
  aws_cloudwatch_dashboard: { attributes: ['dashboard_name'], scope: 'region', source: 'CloudWatch API reference, PutDashboard: a PutDashboard with an existing name replaces the contents of that dashboard (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html)' },
  aws_sns_topic: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'SNS API reference, CreateTopic: idempotent, a topic of that name already owned is returned instead of a new one (docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html)' },
  aws_secretsmanager_secret: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'Secrets Manager API reference, CreateSecret: ResourceExistsException for an existing name; a name in its recovery window is taken too (docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html)' },
  aws_ssm_parameter: { attributes: ['name'], scope: 'region', source: 'Systems Manager API reference, PutParameter: ParameterAlreadyExists unless Overwrite (docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html)' },
  aws_ssm_document: { attributes: ['name'], scope: 'region', source: 'Systems Manager API reference, CreateDocument: DocumentAlreadyExists, the name is unique in the account and Region (docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html)' },
  aws_lb: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'ELBv2 API reference, CreateLoadBalancer: the name is unique per region per account (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html)' },
  aws_lb_target_group: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'ELBv2 API reference, CreateTargetGroup: the name is unique per region per account (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html)' },
  aws_eks_cluster: { attributes: ['name'], scope: 'region', source: 'EKS API reference, CreateCluster: a name unique to the cluster; ResourceInUseException when it exists (docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html)' },
  aws_launch_template: { attributes: ['name', 'name_prefix'], scope: 'region', source: 'EC2 API reference, CreateLaunchTemplate: InvalidLaunchTemplateName.AlreadyExistsException (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html)' },
  aws_security_group: { attributes: ['name', 'name_prefix'], scope: 'vpc', source: 'EC2 API reference, CreateSecurityGroup: the group name is unique within the VPC (InvalidGroup.Duplicate) (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html)' },
};

/**
 * Resource types the stacks synthesize whose names AWS does not key per account, and why. A
 * type in neither table fails the app's test until someone classifies it.
 */
export const NOT_ACCOUNT_UNIQUE: Readonly<Record<string, string>> = {
  aws_acm_certificate: 'no name; several certificates may cover one domain',
  aws_acm_certificate_validation: 'no AWS object of its own',
  aws_cloudwatch_log_stream: 'unique within its log group',
  aws_default_security_group: 'adopts the VPC\'s default group',
  aws_ebs_volume: 'no name (its Name tag is not unique)',
  aws_ec2_subnet_cidr_reservation: 'no name',
  aws_eip: 'no name',
  aws_eks_access_entry: 'unique within its cluster',
  aws_eks_access_policy_association: 'unique within its cluster',
  aws_eks_addon: 'unique within its cluster',
  aws_eks_node_group: 'unique within its cluster',
  aws_eks_pod_identity_association: 'unique within its cluster',
  aws_flow_log: 'no name',
  aws_iam_role_policy: 'unique within its role',
  aws_iam_role_policy_attachment: 'no name',
  aws_instance: 'no name (its Name tag is not unique)',
  aws_internet_gateway: 'no name',
  aws_kms_key: 'no name (its alias is the name)',
  aws_lb_listener: 'unique (by port) within its load balancer',
  aws_lb_target_group_attachment: 'no name',
  aws_nat_gateway: 'no name',
  aws_route: 'unique within its route table',
  aws_route53_record: 'unique within its hosted zone: the private zone is the environment\'s own; public records are <service>.<domain>, so two environments need two domains',
  aws_route53_zone: 'several hosted zones may have one name (each has its own id)',
  aws_route_table: 'no name',
  aws_route_table_association: 'no name',
  aws_s3_bucket_lifecycle_configuration: 'one per bucket',
  aws_s3_bucket_metric: 'unique within its bucket',
  aws_s3_bucket_object_lock_configuration: 'one per bucket',
  aws_s3_bucket_ownership_controls: 'one per bucket',
  aws_s3_bucket_policy: 'one per bucket',
  aws_s3_bucket_public_access_block: 'one per bucket',
  aws_s3_bucket_server_side_encryption_configuration: 'one per bucket',
  aws_s3_bucket_versioning: 'one per bucket',
  aws_secretsmanager_secret_policy: 'one per secret',
  aws_secretsmanager_secret_version: 'versions of one secret',
  aws_sns_topic_policy: 'one per topic',
  aws_sns_topic_subscription: 'no name',
  aws_subnet: 'no name',
  aws_volume_attachment: 'no name',
  aws_vpc: 'no name',
  aws_vpc_endpoint: 'no name',
  aws_vpc_peering_connection: 'no name',
  aws_vpc_security_group_egress_rule: 'no name',
  aws_vpc_security_group_ingress_rule: 'no name',
  helm_release: 'a Kubernetes object: unique within its namespace in the environment\'s cluster',
  kubernetes_ingress_v1: 'a Kubernetes object: unique within its namespace in the environment\'s cluster (the ALB the controller makes is named from the cluster and group)',
  kubernetes_network_policy_v1: 'a Kubernetes object: unique within its namespace in the environment\'s cluster',
  kubernetes_namespace_v1: 'a Kubernetes object of the environment\'s cluster',
  kubernetes_secret_v1: 'a Kubernetes object: unique within its namespace in the environment\'s cluster',
  random_password: 'no AWS object',
  terraform_data: 'no AWS object',
  tls_cert_request: 'no AWS object',
  tls_locally_signed_cert: 'no AWS object',
  tls_private_key: 'no AWS object',
  tls_self_signed_cert: 'no AWS object',
};

/** One name AWS keys uniqueness on, as the stack's JSON writes it (Terraform expressions included). */
export interface AccountUniqueName {
  readonly address: string;
  readonly type: string;
  readonly attribute: string;
  readonly scope: NameScope;
  readonly name: string;
}

/** Every account-unique name the stack sets, by the table; resources that leave the name to AWS have none. */
export function accountUniqueNames(stack: SynthesizedStackJson): AccountUniqueName[] {
  return Object.entries(ACCOUNT_UNIQUE_NAMES).flatMap(([type, rule]) =>
    resourcesOfType(stack, type).flatMap((resource) =>
      rule.attributes
        .filter((attribute) => typeof resource.config[attribute] === 'string')
        .map((attribute) => ({ address: resource.address, type, attribute, scope: rule.scope, name: resource.config[attribute] as string })),
    ),
  );
}

/** Resource types of the stack that neither table classifies. */
export function unclassifiedResourceTypes(stack: SynthesizedStackJson): string[] {
  return Object.keys(stack.resource ?? {}).filter((type) => !(type in ACCOUNT_UNIQUE_NAMES) && !(type in NOT_ACCOUNT_UNIQUE));
}

import type { MockDefaults, StackReview, SynthesizedStackJson } from '@crdb-ory/core';

/** The account id of every mocked AWS value (the documentation account). */
export const MOCK_ACCOUNT = '123456789012';
/** The region the contracts' examples are written for. */
export const EXAMPLE_REGION = 'us-east-1';

/** Where a stack deploys, as its mocks must say it: its aws provider's region and that region's partition. */
export interface AwsLocation {
  readonly region: string;
  readonly partition: string;
}

/** `cn-north-1` -> aws-cn, `us-gov-west-1` -> aws-us-gov, anything else -> aws. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The region of the stack's (first) aws provider; the example region when it has none or it is not literal. */
export function awsLocationOf(json: SynthesizedStackJson | undefined): AwsLocation {
  const configs = json?.provider?.['aws'];
  const first = (Array.isArray(configs) ? configs[0] : configs) as { region?: unknown } | undefined;
  const region = typeof first?.region === 'string' && !first.region.includes('${') ? first.region : EXAMPLE_REGION;
  return { region, partition: partitionOf(region) };
}

/** A contract example moved to `location`: its region and partition in ARNs, endpoints and host names. */
export function relocate(value: unknown, location: AwsLocation): unknown {
  if (typeof value === 'string') {
    return value.replaceAll(EXAMPLE_REGION, location.region).replace(/^arn:aws:/, `arn:${location.partition}:`);
  }
  if (Array.isArray(value)) return value.map((item) => relocate(item, location));
  return value;
}

/**
 * The ARN AWS gives a resource of `type` with these (literal) arguments, or undefined when its
 * shape is not known here or needs a computed value. The mocked apply then gets the ARN the
 * configuration determines (its names, region and partition), not a fixed example.
 */
export function arnOf(type: string, args: Readonly<Record<string, unknown>>, location: AwsLocation): string | undefined {
  const { region, partition } = location;
  const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
  const name = text('name');
  switch (type) {
    case 'aws_eks_cluster':
      return name && `arn:${partition}:eks:${region}:${MOCK_ACCOUNT}:cluster/${name}`;
    case 'aws_iam_role':
      return name && `arn:${partition}:iam::${MOCK_ACCOUNT}:role${text('path') ?? '/'}${name}`;
    case 'aws_iam_policy':
      return name && `arn:${partition}:iam::${MOCK_ACCOUNT}:policy${text('path') ?? '/'}${name}`;
    case 'aws_secretsmanager_secret':
      return name && `arn:${partition}:secretsmanager:${region}:${MOCK_ACCOUNT}:secret:${name}-AbCdEf`;
    case 'aws_lb':
      return name && `arn:${partition}:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:loadbalancer/${text('load_balancer_type') === 'network' ? 'net' : 'app'}/${name}/0a1b2c3d4e5f6000`;
    case 'aws_s3_bucket':
      return text('bucket') && `arn:${partition}:s3:::${text('bucket')}`;
    case 'aws_cloudwatch_log_group':
      return name && `arn:${partition}:logs:${region}:${MOCK_ACCOUNT}:log-group:${name}`;
    default:
      return undefined;
  }
}

/** Values of the data sources every aws stack may read, for `location`. */
export function awsMockData(location: AwsLocation): MockDefaults {
  return {
    aws_iam_policy_document: { json: JSON.stringify({ Version: '2012-10-17', Statement: [] }) },
    aws_caller_identity: { account_id: MOCK_ACCOUNT, arn: `arn:${location.partition}:iam::${MOCK_ACCOUNT}:user/mock` },
    aws_partition: { partition: location.partition, dns_suffix: location.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com' },
    aws_region: { name: location.region },
  };
}

/**
 * Computed values the mocked aws provider returns for every stack. A bare `mock_provider`
 * returns random strings, and the aws provider validates some of them where they feed another
 * resource (ARNs, policy JSON): these shapes keep any stack's mocked apply meaningful.
 */
export function awsMockResources(location: AwsLocation): MockDefaults {
  const { region, partition } = location;
  return {
    aws_iam_role: { arn: `arn:${partition}:iam::${MOCK_ACCOUNT}:role/mock-role` },
    aws_iam_policy: { arn: `arn:${partition}:iam::${MOCK_ACCOUNT}:policy/mock-policy` },
    aws_iam_instance_profile: { arn: `arn:${partition}:iam::${MOCK_ACCOUNT}:instance-profile/mock-profile` },
    aws_kms_key: { arn: `arn:${partition}:kms:${region}:${MOCK_ACCOUNT}:key/00000000-0000-4000-8000-000000000000` },
    aws_s3_bucket: { arn: `arn:${partition}:s3:::mock-bucket` },
    aws_cloudwatch_log_group: { arn: `arn:${partition}:logs:${region}:${MOCK_ACCOUNT}:log-group:mock` },
    aws_secretsmanager_secret: { arn: `arn:${partition}:secretsmanager:${region}:${MOCK_ACCOUNT}:secret:mock-AbCdEf` },
    aws_lb: { arn: `arn:${partition}:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:loadbalancer/net/mock/0a1b2c3d4e5f6000` },
    aws_lb_target_group: { arn: `arn:${partition}:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:targetgroup/mock/0a1b2c3d4e5f6000` },
  };
}

/** `mock_resource` / `mock_data` defaults of the aws mock: the generic shapes for the stack's location, then the stack's own. */
export function awsMockDefaults(review: StackReview | undefined, location: AwsLocation = { region: EXAMPLE_REGION, partition: 'aws' }): { resources: MockDefaults; data: MockDefaults } {
  return {
    resources: { ...awsMockResources(location), ...review?.mockResources },
    data: { ...awsMockData(location), ...review?.mockData },
  };
}

import type { MockDefaults, StackReview } from '@crdb-ory/core';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/**
 * Computed values the mocked aws provider returns for every stack. A bare `mock_provider`
 * returns random strings, and the aws provider validates some of them where they feed another
 * resource (ARNs, policy JSON): these shapes keep any stack's mocked apply meaningful.
 */
export const AWS_MOCK_RESOURCES: MockDefaults = {
  aws_iam_role: { arn: `arn:aws:iam::${ACCOUNT}:role/mock-role` },
  aws_iam_policy: { arn: `arn:aws:iam::${ACCOUNT}:policy/mock-policy` },
  aws_iam_instance_profile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/mock-profile` },
  aws_kms_key: { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-4000-8000-000000000000` },
  aws_s3_bucket: { arn: 'arn:aws:s3:::mock-bucket' },
  aws_cloudwatch_log_group: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:mock` },
  aws_secretsmanager_secret: { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mock-AbCdEf` },
  aws_lb: { arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/mock/0a1b2c3d4e5f6000` },
  aws_lb_target_group: { arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/mock/0a1b2c3d4e5f6000` },
};

export const AWS_MOCK_DATA: MockDefaults = {
  aws_iam_policy_document: { json: JSON.stringify({ Version: '2012-10-17', Statement: [] }) },
  aws_caller_identity: { account_id: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock` },
  aws_partition: { partition: 'aws', dns_suffix: 'amazonaws.com' },
  aws_region: { name: REGION },
};

/** `mock_resource` / `mock_data` defaults of the aws mock: the generic shapes, then the stack's own. */
export function awsMockDefaults(review: StackReview | undefined): { resources: MockDefaults; data: MockDefaults } {
  return {
    resources: { ...AWS_MOCK_RESOURCES, ...review?.mockResources },
    data: { ...AWS_MOCK_DATA, ...review?.mockData },
  };
}

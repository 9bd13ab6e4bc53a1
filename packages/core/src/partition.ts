/** The AWS partitions the product builds ARNs for: commercial, China, GovCloud (US). */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

interface PartitionFacts {
  readonly partition: AwsPartition;
  /** DNS suffix of service endpoints, e.g. `secretsmanager.<region>.<suffix>`. */
  readonly dnsSuffix: string;
}

const CHINA: PartitionFacts = { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
const GOVCLOUD: PartitionFacts = { partition: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
const COMMERCIAL: PartitionFacts = { partition: 'aws', dnsSuffix: 'amazonaws.com' };

/**
 * An AWS region's name as the supported partitions spell it (two letters, `-gov` in GovCloud, a
 * direction, a number: `us-east-1`, `ap-southeast-2`, `cn-north-1`, `us-gov-west-1`), as a RegExp
 * source without anchors, so a pattern can embed it (a stack name's `-<region>` suffix). The
 * isolated and sovereign partitions' names (`us-isob-east-1`, `eusc-de-east-1`) do not match.
 */
export const AWS_REGION_NAME_PATTERN = '[a-z]{2}(?:-gov)?-[a-z]+-\\d';

const AWS_REGION_NAME = new RegExp(`^${AWS_REGION_NAME_PATTERN}$`);

/** True when `value` is spelled as a region name of a supported partition (`AWS_REGION_NAME_PATTERN`). */
export function isAwsRegionName(value: string): boolean {
  return AWS_REGION_NAME.test(value);
}

/** Region prefixes of the isolated and sovereign partitions, which the product does not build for. */
const UNSUPPORTED_PREFIXES = ['us-iso-', 'us-isob-', 'us-isof-', 'eu-isoe-', 'eusc-'];

function factsOf(region: string): PartitionFacts {
  if (region.startsWith('cn-')) return CHINA;
  if (region.startsWith('us-gov-')) return GOVCLOUD;
  if (UNSUPPORTED_PREFIXES.some((prefix) => region.startsWith(prefix))) {
    throw new Error(`Region ${region} is in an isolated or sovereign AWS partition; supported: aws (commercial), aws-cn (cn-*), aws-us-gov (us-gov-*).`);
  }
  return COMMERCIAL;
}

/** The partition of `region`: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, else `aws`. */
export function awsPartitionOf(region: string): AwsPartition {
  return factsOf(region).partition;
}

/** DNS suffix of the service endpoints of `region` (`amazonaws.com.cn` in China, else `amazonaws.com`). */
export function awsDnsSuffixOf(region: string): string {
  return factsOf(region).dnsSuffix;
}

/**
 * An ARN as AWS documents it (commercial partition, `arn:aws:...`) in `partition`:
 * `inPartition('arn:aws:iam::aws:policy/X', 'aws-cn')` is `arn:aws-cn:iam::aws:policy/X`. Use it
 * with `awsPartitionOf(region)`; the ARN stays a literal in the synthesized JSON, so plan reviews
 * and the policy gate read it as it is.
 */
export function inPartition(arn: string, partition: AwsPartition): string {
  if (!arn.startsWith('arn:aws:')) throw new Error(`inPartition: expected an ARN starting with "arn:aws:", got ${JSON.stringify(arn)}.`);
  return `arn:${partition}:${arn.slice('arn:aws:'.length)}`;
}

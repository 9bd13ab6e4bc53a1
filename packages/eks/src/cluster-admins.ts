import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { AwsPartition, PropProblem, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { clusterAdminAccess } from './cluster-admin-access';

export interface EksClusterAdminsProps {
  readonly clusterName: string;
  /**
   * IAM role or user ARNs granted cluster-admin (AmazonEKSClusterAdminPolicy, cluster scope).
   * Not STS assumed-role session ARNs: name the role itself.
   */
  readonly principalArns: readonly string[];
  /** Partition of the cluster's region (`awsPartitionOf(region)`). @default 'aws' */
  readonly partition?: AwsPartition;
}

const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/**
 * Access entries with cluster-admin for the given principals: with `API` authentication and
 * no cluster-creator bootstrap, these (and the deployer's entry, `EksDeployerClusterAdmin`) are
 * the only humans or pipelines that can use kubectl. Construct ids derive from the ARN, so
 * adding or removing one principal leaves the others alone.
 */
export class EksClusterAdmins extends Construct {
  readonly accessEntries: EksAccessEntry[];
  readonly policyAssociations: EksAccessPolicyAssociation[];

  constructor(scope: Construct, id: string, props: EksClusterAdminsProps) {
    super(scope, id);
    throwIfProblems(this, clusterAdminProblems(props.principalArns, { partition: props.partition }));
    const access = props.principalArns.map((principalArn) =>
      clusterAdminAccess(this, principalId(principalArn), { clusterName: props.clusterName, principalArn, partition: props.partition ?? 'aws' }),
    );
    this.accessEntries = access.map((a) => a.accessEntry);
    this.policyAssociations = access.map((a) => a.policyAssociation);
  }
}

/** `arn:aws:iam::123456789012:role/Admin` -> `123456789012-role-Admin`. */
function principalId(arn: string): string {
  return arn.replace(/^arn:aws[a-z-]*:iam::/, '').replace(/[^A-Za-z0-9-]+/g, '-');
}

/** Where the admins' ARNs must be: the cluster's partition; `region` names it in the message. */
export interface ClusterAdminPlacement {
  readonly partition?: AwsPartition;
  readonly region?: string;
}

/**
 * Every entry of `principalArns` that cannot get an access entry: not an IAM role or user (an STS
 * session names no principal EKS accepts), in another partition than the cluster, or listed twice.
 */
export function clusterAdminProblems(arns: readonly string[], placement: ClusterAdminPlacement = {}, prop = 'principalArns'): PropProblem[] {
  const { partition, region } = placement;
  return arns.flatMap((arn, i) => {
    const at = { prop: `${prop}[${i}]`, value: arn };
    if (!IAM_PRINCIPAL.test(arn)) return [{ ...at, message: 'must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>), not an STS session: EKS access entries name the role itself' }];
    if (partition && !arn.startsWith(`arn:${partition}:`)) {
      return [{ ...at, message: `must be in the partition of ${region ? `region ${region}` : 'the cluster'} (arn:${partition}:iam::...)` }];
    }
    return arns.indexOf(arn) === i ? [] : [{ ...at, message: 'is listed twice; each principal may appear once (one access entry each)' }];
  });
}

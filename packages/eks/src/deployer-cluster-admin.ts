import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { AwsPartition } from '@crdb-ory/core';
import { Fn, Op } from 'cdktf';
import { Construct } from 'constructs';
import { clusterAdminAccess } from './cluster-admin-access';

export interface EksDeployerClusterAdminProps {
  readonly clusterName: string;
  /** Principals with an admin entry of their own (`EksClusterAdmins`): EKS takes one entry per principal. */
  readonly otherAdminPrincipalArns?: readonly string[];
  /** Partition of the cluster's region (`awsPartitionOf(region)`). @default 'aws' */
  readonly partition?: AwsPartition;
}

/**
 * Cluster-admin for the IAM identity that runs the deploy, resolved at plan time: the caller
 * (`aws_caller_identity`) mapped to its IAM role by `aws_iam_session_context` (an assumed-role
 * session becomes the role's ARN, an IAM user stays itself), with an access entry and
 * AmazonEKSClusterAdminPolicy. Unlike EKS's implicit creator bootstrap it is a resource in
 * every plan: when another identity deploys, the plan shows the entry moving to it. The plan
 * stops if that identity also has its own entry in `otherAdminPrincipalArns`.
 */
export class EksDeployerClusterAdmin extends Construct {
  /** The IAM role or user ARN that becomes admin (known at plan time). */
  readonly principalArn: string;
  readonly accessEntry: EksAccessEntry;
  readonly policyAssociation: EksAccessPolicyAssociation;

  constructor(scope: Construct, id: string, props: EksDeployerClusterAdminProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const session = new DataAwsIamSessionContext(this, 'session', { arn: caller.arn });
    this.principalArn = session.issuerArn;
    const access = clusterAdminAccess(this, 'deployer', { clusterName: props.clusterName, principalArn: this.principalArn, partition: props.partition ?? 'aws' });
    this.accessEntry = access.accessEntry;
    this.policyAssociation = access.policyAssociation;
    this.accessEntry.lifecycle = {
      precondition: [
        {
          condition: Op.not(Fn.contains([...(props.otherAdminPrincipalArns ?? [])], this.principalArn)),
          errorMessage: `The identity running this deploy (${this.principalArn}) is also listed in adminPrincipalArns (eks.adminPrincipalArns), and EKS allows one access entry per principal: remove it from that list, or set deployerClusterAdmin (eks.deployerClusterAdmin) to false.`,
        },
      ],
    };
  }
}

import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsPartition, iamPolicyJson, productRole, serviceTrust } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { LOAD_BALANCER_CONTROLLER_POLICY_VERSIONS, loadBalancerControllerIamPolicy } from './load-balancer-controller-iam-policy';

/** Where the AWS Load Balancer Controller's chart runs it by default. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller' } as const;

export interface LoadBalancerControllerRoleProps {
  readonly clusterName: string;
  /** IAM role name (the policy gets the same name). */
  readonly roleName: string;
  /** @default kube-system */
  readonly namespace?: string;
  /** @default aws-load-balancer-controller */
  readonly serviceAccount?: string;
  /** Partition of the cluster's region (`awsPartitionOf(region)`): the policy's resource ARNs follow it. @default 'aws' */
  readonly partition?: AwsPartition;
}

/**
 * The AWS Load Balancer Controller's IAM role, handed to its service account through EKS Pod
 * Identity (no OIDC provider, no credentials on the nodes). The controller itself is installed
 * by the Ory stack.
 */
export class LoadBalancerControllerRole extends Construct {
  readonly role: IamRole;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerRoleProps) {
    super(scope, id);
    this.role = productRole(this, 'role', {
      name: props.roleName,
      description: `AWS Load Balancer Controller in EKS cluster ${props.clusterName} (Pod Identity)`,
      trust: [serviceTrust('pods.eks.amazonaws.com', { tagSession: true })],
    });
    const policy = new IamPolicy(this, 'policy', {
      name: props.roleName,
      description: `Published IAM policy of the AWS Load Balancer Controller ${LOAD_BALANCER_CONTROLLER_POLICY_VERSIONS.from} to ${LOAD_BALANCER_CONTROLLER_POLICY_VERSIONS.to}`,
      policy: iamPolicyJson(loadBalancerControllerIamPolicy(props.partition ?? 'aws')),
    });
    new IamRolePolicyAttachment(this, 'policy-attachment', { role: this.role.name, policyArn: policy.arn });
    this.association = new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName: props.clusterName,
      namespace: props.namespace ?? LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: props.serviceAccount ?? LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}

import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { AwsPartition, inPartition } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { EKS_CLUSTER_ADMIN_ACCESS_POLICY } from './aws-managed-policies';

export interface ClusterAdminAccess {
  readonly accessEntry: EksAccessEntry;
  readonly policyAssociation: EksAccessPolicyAssociation;
}

/**
 * An access entry for `principalArn` with AmazonEKSClusterAdminPolicy at cluster scope: the
 * construct ids are `<id>` and `<id>-cluster-admin`.
 */
export function clusterAdminAccess(scope: Construct, id: string, props: { clusterName: string; principalArn: string; partition: AwsPartition }): ClusterAdminAccess {
  const accessEntry = new EksAccessEntry(scope, id, { clusterName: props.clusterName, principalArn: props.principalArn, type: 'STANDARD' });
  const policyAssociation = new EksAccessPolicyAssociation(scope, `${id}-cluster-admin`, {
    clusterName: props.clusterName,
    principalArn: accessEntry.principalArn,
    policyArn: inPartition(EKS_CLUSTER_ADMIN_ACCESS_POLICY, props.partition),
    accessScope: { type: 'cluster' },
  });
  return { accessEntry, policyAssociation };
}

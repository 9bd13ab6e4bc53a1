import { defineOutputsContract } from '@crdb-ory/core';

/** Stack name of the EKS stack: also its state key. API: never rename. */
export const EKS_STACK_NAME = 'eks';

/**
 * The EKS stack's outputs: what the Ory stack needs to configure its kubernetes and helm
 * providers (exec authentication with `aws eks get-token`) and to install its controllers.
 */
export const EKS_OUTPUTS = defineOutputsContract(EKS_STACK_NAME, {
  clusterName: { type: 'string', description: 'EKS cluster name (`aws eks get-token --cluster-name`).', example: 'ory' },
  clusterArn: { type: 'string', description: 'EKS cluster ARN.', example: 'arn:aws:eks:us-east-1:123456789012:cluster/ory' },
  clusterEndpoint: { type: 'string', description: 'Kubernetes API endpoint.', example: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com' },
  clusterCertificateAuthorityData: { type: 'string', description: 'Base64 PEM of the cluster CA (kubeconfig certificate-authority-data).', example: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJleGFtcGxlCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K' },
  clusterOidcIssuerUrl: { type: 'string', description: 'OIDC issuer of the cluster (for IRSA, if ever needed).', example: 'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' },
  clusterSecurityGroupId: { type: 'string', description: 'Cluster security group EKS created (control plane and managed nodes).', example: 'sg-0e0000000000000a1' },
  nodeSecurityGroupId: { type: 'string', description: 'Additional security group of the worker nodes and their pods (VPC CNI): egress to the CockroachDB VPC on 26257, no ingress. CockroachDB does not reference it: the cockroach stack is independent of this one and admits the Ory VPC by its CIDR.', example: 'sg-0e0000000000000a2' },
  nodeRoleArn: { type: 'string', description: 'IAM role of the worker nodes.', example: 'arn:aws:iam::123456789012:role/crdb-ory-eks-node' },
  loadBalancerControllerRoleArn: { type: 'string', description: 'Pod Identity role of the AWS Load Balancer Controller (namespace kube-system, service account aws-load-balancer-controller).', example: 'arn:aws:iam::123456789012:role/crdb-ory-eks-lbc' },
});

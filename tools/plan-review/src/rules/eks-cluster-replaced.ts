import { removalRule } from './removal-rule';

export const EKS_CLUSTER_REPLACED = removalRule({
  id: 'eks-cluster-replaced',
  title: 'EKS cluster replaced or destroyed',
  description:
    'Every workload on the cluster (Ory: Hydra, Kratos, Keto) goes down with it, and the new cluster has a new endpoint and certificate authority.',
  resourceTypes: ['aws_eks_cluster'],
});

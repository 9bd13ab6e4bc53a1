/**
 * AWS managed IAM policies the cluster and its nodes use, as AWS documents them (commercial
 * partition): constructs map them into the cluster's partition with `inPartition` (core).
 */
export const AWS_MANAGED_POLICY = {
  eksCluster: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
  eksWorkerNode: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  eksCni: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
  // Least-privilege successor of AmazonEC2ContainerRegistryReadOnly: pull images, nothing else.
  ecrPullOnly: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
} as const;

/** The EKS access policy that grants cluster-admin through an access entry (commercial partition; see above). */
export const EKS_CLUSTER_ADMIN_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

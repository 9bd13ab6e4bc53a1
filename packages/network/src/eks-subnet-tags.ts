/** Which load balancers the AWS Load Balancer Controller may place in a subnet. */
export type EksSubnetTier = 'public' | 'private';

/**
 * The tags EKS and the AWS Load Balancer Controller look for: the cluster tag on every subnet
 * the cluster uses, `kubernetes.io/role/elb` on public subnets (internet-facing load
 * balancers) and `kubernetes.io/role/internal-elb` on private ones (internal load balancers).
 */
export function eksSubnetTags(clusterName: string, tier: EksSubnetTier): Record<string, string> {
  const role = tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
  return { [`kubernetes.io/cluster/${clusterName}`]: 'shared', [role]: '1' };
}

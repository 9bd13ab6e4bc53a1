/**
 * What each node publishes to CloudWatch every 5 minutes (`cockroach-metrics.timer`): the free
 * space of its data volume and the days left on the certificates it holds. Nothing else on the
 * node can publish: its role may put metrics into this namespace only.
 */
export const NODE_METRICS_NAMESPACE = 'CrdbOry/CockroachDB';

export const NODE_METRIC = {
  /** Free space of the store's filesystem, percent of its size (`df`). */
  dataVolumeFreePercent: 'DataVolumeFreePercent',
  /** Days until the first of the node's certificates (ca.crt, node.crt, client.root.crt) expires. */
  certificateDaysToExpiry: 'CertificateDaysToExpiry',
} as const;

/** Dimensions of every node metric: the cluster (the name prefix) and the node (`node-1`). */
export const NODE_METRIC_DIMENSIONS = { cluster: 'ClusterName', node: 'Node' } as const;

export function nodeMetricDimensions(clusterName: string, nodeNumber: number): Record<string, string> {
  return { [NODE_METRIC_DIMENSIONS.cluster]: clusterName, [NODE_METRIC_DIMENSIONS.node]: `node-${nodeNumber}` };
}

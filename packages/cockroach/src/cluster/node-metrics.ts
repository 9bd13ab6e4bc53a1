/**
 * What each node publishes to CloudWatch every 5 minutes (`cockroach-metrics.timer`): the free
 * space of its data volume and the days left on the certificates it holds (per node), and the
 * cluster-wide signals of {@link CLUSTER_METRIC}. Nothing else on the node can publish: its role
 * may put metrics into this namespace only.
 */
export const NODE_METRICS_NAMESPACE = 'CrdbOry/CockroachDB';

export const NODE_METRIC = {
  /** Free space of the store's filesystem, percent of its size (`df`). */
  dataVolumeFreePercent: 'DataVolumeFreePercent',
  /** Days until the first of the node's certificates (ca.crt, node.crt, client.root.crt) expires. */
  certificateDaysToExpiry: 'CertificateDaysToExpiry',
} as const;

/**
 * Cluster-wide signals every node publishes with the cluster dimension alone (and, for Ory's
 * certificates, the service): CloudWatch aggregates the datapoints of all the nodes that publish,
 * so one node down (or replaced by the roll) leaves the others' datapoints.
 * - `BackupScheduleFailures`: how many scheduled backup jobs failed on this node since its last
 *   publication (the increase of CockroachDB's counter `schedules.BACKUP.failed`, which each node
 *   counts for the jobs it ran; a counter lower than last time means cockroach restarted). Alarm
 *   on the Sum.
 * - `LastCompletedBackupAgeHours`: hours since the backup recorded by this node's gauge
 *   `schedules.BACKUP.last-completed-time` (the end time of the last backup this node completed for
 *   a schedule created with `updates_cluster_last_backup_time_metric`; 0, and nothing published,
 *   after a restart until it completes one). Alarm on the Minimum over a period of at least the
 *   backup interval: the freshest backup any node completed.
 * - `OryCertificateDaysToExpiry` (dimension `Service` too): days left on the first certificate to
 *   expire among those a service of Ory presents (ory-certificates.ts).
 */
export const CLUSTER_METRIC = {
  backupScheduleFailures: 'BackupScheduleFailures',
  lastCompletedBackupAgeHours: 'LastCompletedBackupAgeHours',
  oryCertificateDaysToExpiry: 'OryCertificateDaysToExpiry',
} as const;

/** The dimension naming the Ory service of `OryCertificateDaysToExpiry`. */
export const ORY_SERVICE_DIMENSION = 'Service';

export function clusterMetricDimensions(clusterName: string): Record<string, string> {
  return { [NODE_METRIC_DIMENSIONS.cluster]: clusterName };
}

export function oryCertificateMetricDimensions(clusterName: string, service: string): Record<string, string> {
  return { ...clusterMetricDimensions(clusterName), [ORY_SERVICE_DIMENSION]: service };
}

/** Dimensions of every node metric: the cluster (the name prefix) and the node (`node-1`). */
export const NODE_METRIC_DIMENSIONS = { cluster: 'ClusterName', node: 'Node' } as const;

export function nodeMetricDimensions(clusterName: string, nodeNumber: number): Record<string, string> {
  return { [NODE_METRIC_DIMENSIONS.cluster]: clusterName, [NODE_METRIC_DIMENSIONS.node]: `node-${nodeNumber}` };
}

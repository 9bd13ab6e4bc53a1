/** Where things live on a node. The scripts prefix each with $ROOT for file operations (tests). */
export const NODE_PATHS = {
  envFile: '/etc/cockroach/node.env',
  bootstrapSql: '/etc/cockroach/bootstrap.sql',
  /** The backup schedule's statements, with the cluster id (create) and schedule id (alter) filled in by the bootstrap. */
  backupScheduleCreateSql: '/etc/cockroach/backup-schedule-create.sql',
  backupScheduleAlterSql: '/etc/cockroach/backup-schedule-alter.sql',
  scriptDir: '/usr/local/lib/cockroach',
  bootScript: '/usr/local/lib/cockroach/boot.sh',
  bootstrapScript: '/usr/local/lib/cockroach/bootstrap.sh',
  refreshCertsScript: '/usr/local/lib/cockroach/refresh-certs.sh',
  metricsScript: '/usr/local/lib/cockroach/publish-metrics.sh',
  binary: '/usr/local/bin/cockroach',
  /** Where CockroachDB looks for its spatial libraries (libgeos*.so) by default. */
  libDir: '/usr/local/lib/cockroach',
  certsDir: '/var/lib/cockroach/certs',
  /**
   * root's client certificate, on every node (admin commands: drain, node status, the roll, the
   * restore, the bootstrap): the `cockroach` CLI's default --certs-dir for root (${HOME}/.cockroach-certs).
   */
  rootCertsDir: '/root/.cockroach-certs',
  storeDir: '/var/lib/cockroach/data',
  /** What the metrics timer keeps between runs (the last value of each counter it publishes the increase of). */
  metricsStateDir: '/var/lib/cockroach-metrics',
  unitDir: '/etc/systemd/system',
} as const;

/** Amazon Time Sync Service, reachable from every EC2 instance without a route or SG rule. */
export const AMAZON_TIME_SYNC_IP = '169.254.169.123';

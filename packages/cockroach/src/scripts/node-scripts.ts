import { CLUSTER_ID_PLACEHOLDER, SCHEDULE_ID_PLACEHOLDER, findBackupScheduleSql } from '../backup/backup-schedule';
import { BOOTSTRAP_COMPLETE_WORD } from '../bootstrap-status';
import { CLUSTER_METRIC, NODE_METRIC, NODE_METRIC_DIMENSIONS, ORY_SERVICE_DIMENSION } from '../cluster/node-metrics';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { AMAZON_TIME_SYNC_IP, NODE_PATHS as P } from './node-paths';
import { renderScriptFile, renderScriptPart } from './script-template';
import { NODE_TIMERS, StartFlagOptions, renderBootstrapUnit, renderCockroachUnit, renderTimerServiceUnit, renderTimerUnit } from './systemd-units';

// The scripts user data writes onto every node. Each is a template in this folder (`boot.sh`,
// `bootstrap.sh`, `refresh-certs.sh`, `publish-metrics.sh`, and the parts `shell-common.sh` and
// `install-timer-units.sh`) with `@@NAME@@` placeholders (script-template.ts) for the paths,
// ports and names this package defines once.

/**
 * Shell functions the node scripts share (`shell-common.sh`): logging, bounded retries and
 * writing a certs-dir from a Secrets Manager secret. Retries are bounded by
 * COCKROACH_RETRY_ATTEMPTS and COCKROACH_RETRY_SLEEP (seconds), so a cluster that never answers
 * ends with a clear error. Every call that can fail for a moment (IAM propagation, a Secrets
 * Manager or package repository blip) is retried: user data runs once, a failed boot is not run
 * again.
 */
export const SHELL_COMMON = `\n${renderScriptPart('shell-common.sh')}\n`;

/** SHELL_COMMON as the scripts take it in: on its own line, between blank lines. */
const SHELL_COMMON_PART = { SHELL_COMMON: SHELL_COMMON.slice(1, -1) };

/** What a CockroachDB license key looks like; anything else is refused before it reaches SQL. */
export const LICENSE_KEY_PATTERN = '^crl-[A-Za-z0-9+/=_-]+$';

/**
 * The node's boot script (`boot.sh <node.env>`): installs the pinned CockroachDB after checking
 * its SHA-256, points chrony at Amazon Time Sync, mounts the data volume (formatting it only
 * when blank), writes the node certificates and root's client certificate from Secrets Manager,
 * starts the systemd unit and the timers that refresh the certificates and publish the node's
 * metrics. Idempotent: re-running it changes nothing unless a certificate changed (rotation).
 */
export function renderBootScript(startFlags: StartFlagOptions = {}): string {
  return renderScriptFile('boot.sh', {
    ...SHELL_COMMON_PART,
    BINARY: P.binary,
    LIB_DIR: P.libDir,
    STORE_DIR: P.storeDir,
    UNIT_DIR: P.unitDir,
    CERTS_DIR: P.certsDir,
    ROOT_CERTS_DIR: P.rootCertsDir,
    TIME_SYNC_IP: AMAZON_TIME_SYNC_IP,
    COCKROACH_UNIT: renderCockroachUnit(startFlags),
    BOOTSTRAP_UNIT: renderBootstrapUnit(),
    INSTALL_TIMER_UNITS: NODE_TIMERS.map((timer) =>
      renderScriptPart('install-timer-units.sh', { TIMER: timer.name, SERVICE_UNIT: renderTimerServiceUnit(timer), TIMER_UNIT: renderTimerUnit(timer) }),
    ).join('\n'),
    TIMER_UNITS: NODE_TIMERS.map((timer) => `${timer.name}.timer`).join(' '),
  });
}

/**
 * The bootstrap script (`bootstrap.sh <node.env>`), run on node 1 against itself (never through
 * the NLB): `cockroach init` ("already been initialized" is success), then the idempotent
 * bootstrap SQL, then the license key if a secret is configured, then the backup schedule
 * (created once per cluster, in the cluster's own collection; on a later bootstrap converged to
 * the configured cadence), and last it publishes its completion (the SSM parameter the ory
 * stack's plan checks). Each step is retried until the cluster answers, at most
 * COCKROACH_RETRY_ATTEMPTS times.
 */
export function renderBootstrapScript(): string {
  return renderScriptFile('bootstrap.sh', {
    ...SHELL_COMMON_PART,
    ROOT_CERTS_DIR: P.rootCertsDir,
    SQL_PORT,
    LICENSE_KEY_PATTERN,
    FIND_BACKUP_SCHEDULE_SQL: findBackupScheduleSql('$BACKUP_SCHEDULE_LABEL'),
    CLUSTER_ID_MARKER: CLUSTER_ID_PLACEHOLDER,
    SCHEDULE_ID_MARKER: SCHEDULE_ID_PLACEHOLDER,
    BACKUP_SCHEDULE_CREATE_SQL: P.backupScheduleCreateSql,
    BACKUP_SCHEDULE_ALTER_SQL: P.backupScheduleAlterSql,
    BOOTSTRAP_SQL: P.bootstrapSql,
    BOOTSTRAP_COMPLETE_WORD,
  });
}

/**
 * `refresh-certs.sh <node.env>` (hourly, `cockroach-cert-refresh.timer`): re-reads the node's
 * certificate secret and root's client certificate, rewriting only files that changed, and when
 * the node certificate, key or CA changed sends cockroach SIGHUP (`systemctl reload`): CockroachDB
 * re-reads its certificates without a restart. So a `cdktf deploy cockroach-pki` that renews
 * them reaches every running node within the hour, with nobody logging in.
 */
export function renderRefreshCertsScript(): string {
  return renderScriptFile('refresh-certs.sh', { ...SHELL_COMMON_PART, CERTS_DIR: P.certsDir, ROOT_CERTS_DIR: P.rootCertsDir });
}

/**
 * `publish-metrics.sh <node.env>` (every 5 minutes, `cockroach-metrics.timer`), as CloudWatch
 * metrics:
 * - of this node: the data volume's free space (`df` of the store) and the days left on the first
 *   of the node's certificates to expire;
 * - of the cluster (node-metrics.ts, CLUSTER_METRIC), from CockroachDB's own signals on this
 *   node's Prometheus endpoint (`https://localhost:8080/_status/vars`, "Backup and Restore
 *   Monitoring"): the scheduled backups that failed since the last run (`schedules_BACKUP_failed`)
 *   and the hours since the last completed one (`schedules_BACKUP_last_completed_time`);
 * - of Ory (when ORY_CERTIFICATES_PATH is set and the ory stack has published them): the days left
 *   on the certificates each service presents (ory-certificates.ts).
 * Whatever cannot be read is not published (the alarms treat missing data as they must) and the
 * run fails at the end, so the timer's failure is in the journal; the rest is still published.
 */
export function renderMetricsScript(): string {
  return renderScriptFile('publish-metrics.sh', {
    METRICS_STATE_DIR: P.metricsStateDir,
    STORE_DIR: P.storeDir,
    CERTS_DIR: P.certsDir,
    ROOT_CERTS_DIR: P.rootCertsDir,
    HTTP_PORT,
    CLUSTER_DIMENSION: NODE_METRIC_DIMENSIONS.cluster,
    NODE_DIMENSION: NODE_METRIC_DIMENSIONS.node,
    ORY_SERVICE_DIMENSION,
    DATA_VOLUME_FREE_PERCENT_METRIC: NODE_METRIC.dataVolumeFreePercent,
    CERTIFICATE_DAYS_TO_EXPIRY_METRIC: NODE_METRIC.certificateDaysToExpiry,
    BACKUP_SCHEDULE_FAILURES_METRIC: CLUSTER_METRIC.backupScheduleFailures,
    LAST_COMPLETED_BACKUP_AGE_HOURS_METRIC: CLUSTER_METRIC.lastCompletedBackupAgeHours,
    ORY_CERTIFICATE_DAYS_TO_EXPIRY_METRIC: CLUSTER_METRIC.oryCertificateDaysToExpiry,
  });
}

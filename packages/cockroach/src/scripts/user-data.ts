import { NODE_PATHS as P } from './node-paths';
import { renderBootScript, renderBootstrapScript, renderMetricsScript, renderRefreshCertsScript } from './node-scripts';
import { renderScriptFile, renderScriptPart } from './script-template';

/** What differs between nodes. Values may be Terraform tokens (IPs, ARNs, AZs). */
export interface NodeBootSettings {
  readonly region: string;
  /** 1-based. */
  readonly nodeNumber: number;
  readonly nodeIp: string;
  /** `ip:port` of all three nodes. */
  readonly joinAddresses: string[];
  readonly availabilityZone: string;
  readonly nodeSecretArn: string;
  readonly dataVolumeId: string;
  readonly cockroachVersion: string;
  readonly cockroachSha256: string;
  readonly cockroachDownloadUrl: string;
  /** `--cache`, e.g. `.25`. */
  readonly cache: string;
  /** `--max-sql-memory`, e.g. `.25`. */
  readonly maxSqlMemory: string;
  /** root's client certificate secret: every node keeps it for admin commands (drain, the roll, restores). */
  readonly rootClientSecretArn: string;
  /** The cluster's name in metric dimensions (the name prefix). */
  readonly clusterName: string;
  /** CloudWatch namespace of the node metrics. */
  readonly metricsNamespace: string;
  /** SSM path of the certificates Ory presents (ory-certificates.ts), whose days to expiry the node publishes. @default none: not published */
  readonly oryCertificatesPath?: string;
  /**
   * `--max-offset` of the node (multi-region/node-locality.ts: MULTI_REGION_MAX_OFFSET for a
   * multi-region cluster). Every node of a cluster runs the same value.
   * @default none: no flag, CockroachDB's default (500ms)
   */
  readonly maxOffset?: string;
  /** systemd `TimeoutStopSec` of cockroach.service: longer than a drain (drain-settings.ts). */
  readonly stopTimeoutSeconds: number;
  /** Only on the node that bootstraps the cluster. */
  readonly bootstrap?: {
    readonly licenseSecretArn?: string;
    readonly sql: string;
    /** The backup schedule's label and statements. @default none: no schedule (a warning in the log) */
    readonly backupSchedule?: { readonly label: string; readonly createSql: string; readonly alterSql: string };
    /** The SSM parameter the bootstrap overwrites when it has finished (bootstrap-status.ts). */
    readonly statusParameterName: string;
  };
}

/** The node.env file boot.sh and bootstrap.sh source. Values never contain a single quote. */
export function renderNodeEnv(s: NodeBootSettings): string {
  const values: Record<string, string> = {
    AWS_REGION: s.region,
    NODE_INDEX: String(s.nodeNumber),
    NODE_IP: s.nodeIp,
    JOIN_ADDRESSES: s.joinAddresses.join(','),
    LOCALITY_ZONE: s.availabilityZone,
    NODE_SECRET_ARN: s.nodeSecretArn,
    DATA_VOLUME_ID: s.dataVolumeId,
    COCKROACH_VERSION: s.cockroachVersion,
    COCKROACH_SHA256: s.cockroachSha256,
    COCKROACH_URL: s.cockroachDownloadUrl,
    CACHE_SIZE: s.cache,
    MAX_SQL_MEMORY: s.maxSqlMemory,
    ...(s.maxOffset !== undefined ? { MAX_OFFSET: s.maxOffset } : {}),
    RUN_BOOTSTRAP: s.bootstrap ? '1' : '0',
    ROOT_CLIENT_SECRET_ARN: s.rootClientSecretArn,
    CLUSTER_NAME: s.clusterName,
    METRICS_NAMESPACE: s.metricsNamespace,
    ...(s.oryCertificatesPath ? { ORY_CERTIFICATES_PATH: s.oryCertificatesPath } : {}),
    STOP_TIMEOUT_SECONDS: String(s.stopTimeoutSeconds),
    ...(s.bootstrap?.licenseSecretArn ? { LICENSE_SECRET_ARN: s.bootstrap.licenseSecretArn } : {}),
    ...(s.bootstrap?.backupSchedule ? { BACKUP_SCHEDULE_LABEL: s.bootstrap.backupSchedule.label } : {}),
    ...(s.bootstrap ? { BOOTSTRAP_STATUS_PARAMETER: s.bootstrap.statusParameterName } : {}),
  };
  return Object.entries(values)
    .map(([key, value]) => `${key}='${value}'`)
    .join('\n');
}

/** A file written by user data through a quoted heredoc, so nothing in it is expanded. */
interface EmbeddedFile {
  readonly path: string;
  readonly mode: string;
  readonly content: string;
}

/**
 * The EC2 user data: writes node.env, the scripts and (node 1) the bootstrap SQL, then runs
 * boot.sh. `escape` is applied to the static parts only (Terraform template escaping in the
 * stack); the node.env values stay as they are so Terraform can interpolate them.
 */
export function renderUserData(s: NodeBootSettings, escape: (text: string) => string = (t) => t): string {
  const files: EmbeddedFile[] = [
    { path: P.envFile, mode: '0644', content: renderNodeEnv(s) },
    { path: P.bootScript, mode: '0755', content: escape(renderBootScript({ maxOffset: s.maxOffset !== undefined })) },
    { path: P.refreshCertsScript, mode: '0700', content: escape(renderRefreshCertsScript()) },
    { path: P.metricsScript, mode: '0755', content: escape(renderMetricsScript()) },
  ];
  if (s.bootstrap) {
    files.push({ path: P.bootstrapScript, mode: '0700', content: escape(renderBootstrapScript()) });
    files.push({ path: P.bootstrapSql, mode: '0600', content: escape(s.bootstrap.sql.trimEnd()) });
  }
  if (s.bootstrap?.backupSchedule) {
    // Not escaped: the statements carry a Terraform value (the bucket name from remote state), and
    // everything else in them is validated (label, crontabs, region) to hold no template sequence.
    files.push({ path: P.backupScheduleCreateSql, mode: '0600', content: s.bootstrap.backupSchedule.createSql });
    files.push({ path: P.backupScheduleAlterSql, mode: '0600', content: s.bootstrap.backupSchedule.alterSql });
  }
  const values = { SCRIPT_DIR: P.scriptDir, WRITE_FILES: files.map(writeFileCommand(escape)).join('\n'), BOOT_SCRIPT: P.bootScript, NODE_ENV_FILE: P.envFile };
  return renderScriptFile('user-data.sh', values, escape);
}

/** `write-file.sh` for one file: its text escaped, the content as it comes (escaped above where it must be). */
function writeFileCommand(escape: (text: string) => string) {
  return (file: EmbeddedFile, index: number): string =>
    renderScriptPart('write-file.sh', { FILE_PATH: file.path, FILE_MODE: file.mode, FILE_CONTENT: file.content, HEREDOC_MARKER: `CRDB_ORY_EOF_${index}` }, escape);
}

/** Escapes Terraform template sequences (`${`, `%{`) so the text reaches the node literally. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

import { BACKUP_COLLECTIONS_PREFIX } from '../backup/backup-schedule';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { NODE_PATHS as P } from '../scripts/node-paths';
import { renderScriptFile } from '../scripts/script-template';
import { chainLayersSql } from './backup-chains';
import type { ObservedDrainSettings } from './cluster-observation';

/** The under-replicated and unavailable ranges, summed over every store (one row, two columns). */
export const STORE_RANGES_QUERY = "SELECT coalesce(sum((metrics->>'ranges.underreplicated')::INT8), 0), coalesce(sum((metrics->>'ranges.unavailable')::INT8), 0) FROM crdb_internal.kv_store_status";

/** Precedes the CSV of each statement in the output of the `sql` action. */
export const SQL_RESULT_MARKER = '--- crdb-ory result';

/**
 * The script the roll and the restore run on a node (through SSM Run Command, as root), the
 * template `src/scripts/node-command.sh`. It is self-contained, so it also works on a node that
 * booted with older scripts: it fetches root's client certificate itself when the node has none
 * yet. `$ROOT` (COCKROACH_BOOT_ROOT) prefixes every path, as in the boot scripts, for the tests.
 *
 * Actions:
 * - `status`: `ready=<HTTP code of /health?ready=1>`, `binary=<cockroach version --build-tag>`
 * - `cluster`: the cluster's view, as root over SQL on this node: `cluster_version=`,
 *   `preserve_downgrade=`, one `node=<id>,<address>,<build tag>,<is live>,<draining>` per node,
 *   `ranges=<under-replicated>,<unavailable>`, `shutdown=<initial_wait>,<connections.timeout>,
 *   <transactions.timeout>,<lease_transfer_iteration.timeout>` (INTERVALs, as SHOW CLUSTER SETTING prints them)
 * - `drain <seconds>`: `cockroach node drain --self` (the node stops accepting SQL and moves its leases)
 * - `sql [--database=<db>] <base64 statement>...`: runs the statements in order as root, each
 *   its own `cockroach sql -e`, stopping at the first that fails; prints each one's CSV after a
 *   `--- crdb-ory result <n>` line
 * - `restart`: `systemctl restart cockroach` (undoes a drain)
 * - `collections <bucket>`: the cluster ids that have a backup collection in the bucket
 * - `backups <collection uri>`: each backup chain of the collection (`SHOW BACKUPS IN`) with its
 *   layers (`SHOW BACKUP FROM <path> IN`): `layer=<path>,<full|incremental>,<start>,<end>`, or
 *   `unreadable=<path>` for a chain CockroachDB cannot read (no manifest: a failed or running full backup)
 * - `decommission-status`: `cockroach node status --decommission` as CSV (decommission-status.ts)
 * - `decommission <check|start|finish> <node id>...`: `cockroach node decommission <ids>` with
 *   `--dry-run` (the pre-flight checks only), `--wait=none` (start and return) or `--wait=all`
 *   (return once no replica is left; the nodes are then decommissioned)
 * - `refresh-certs`: what `cockroach-cert-refresh.timer` runs now (the node's certificates from
 *   Secrets Manager; SIGHUP when they changed)
 */
export function renderNodeCommandScript(): string {
  return renderScriptFile('node-command.sh', {
    ROOT_CERTS_DIR: P.rootCertsDir,
    SQL_PORT,
    HTTP_PORT,
    SQL_RESULT_MARKER,
    STORE_RANGES_SQL: STORE_RANGES_QUERY,
    BACKUP_COLLECTIONS_PREFIX,
    CHAIN_LAYERS_SQL: chainLayersSql('$path', '$uri'),
    REFRESH_CERTS_SCRIPT: P.refreshCertsScript,
    NODE_ENV_FILE: P.envFile,
  });
}

/** The report of `status` on one node. */
export interface NodeStatusReport {
  /** HTTP status of /health?ready=1 (`000`: no answer). */
  readonly readyCode: string;
  readonly binaryVersion?: string;
}

/** One row of `cluster`'s node list. */
export interface GossipNode {
  readonly nodeId: number;
  /** `10.10.10.10:26257` */
  readonly address: string;
  readonly buildTag: string;
  readonly live: boolean;
  readonly draining: boolean;
}

export interface ClusterReport {
  readonly clusterVersion: string;
  readonly preserveDowngradeOption: string;
  readonly nodes: readonly GossipNode[];
  readonly underReplicatedRanges: number;
  readonly unavailableRanges: number;
  /** Undefined when a node booted with older scripts printed none, or a value is not an interval. */
  readonly drain?: ObservedDrainSettings;
}

function lines(stdout: string, key: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1).trim());
}

export function parseStatusReport(stdout: string): NodeStatusReport {
  const binary = lines(stdout, 'binary')[0];
  return { readyCode: lines(stdout, 'ready')[0] ?? '000', binaryVersion: binary && binary !== 'unknown' ? binary : undefined };
}

const bool = (text: string | undefined): boolean => text === 'true' || text === 't';

/** Throws when the output is not what `cluster` prints (a node whose SQL failed half-way). */
export function parseClusterReport(stdout: string): ClusterReport {
  const [clusterVersion] = lines(stdout, 'cluster_version');
  const [ranges] = lines(stdout, 'ranges');
  const [under, unavailable] = (ranges ?? '').split(',').map(Number);
  if (!clusterVersion || under === undefined || unavailable === undefined || Number.isNaN(under) || Number.isNaN(unavailable)) {
    throw new Error(`unexpected cluster report:\n${stdout}`);
  }
  const nodes = lines(stdout, 'node').map((row) => {
    const [id, address, buildTag, live, draining] = row.split(',');
    return { nodeId: Number(id), address: address ?? '', buildTag: buildTag ?? '', live: bool(live), draining: bool(draining) };
  });
  const drain = parseDrainSettings(lines(stdout, 'shutdown')[0]);
  return {
    clusterVersion,
    preserveDowngradeOption: (lines(stdout, 'preserve_downgrade')[0] ?? '').replace(/^"|"$/g, ''),
    nodes,
    underReplicatedRanges: under,
    unavailableRanges: unavailable,
    ...(drain ? { drain } : {}),
  };
}

/** `00:05:30` (an INTERVAL as SHOW CLUSTER SETTING prints a duration; hours may pass 24) in seconds. */
export function intervalSeconds(text: string): number | undefined {
  const match = /^(\d+):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(text.trim());
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}

function parseDrainSettings(line: string | undefined): ObservedDrainSettings | undefined {
  const values = (line ?? '').split(',').map(intervalSeconds);
  const [initialWaitSeconds, connectionsTimeoutSeconds, transactionsTimeoutSeconds, leaseTransferIterationSeconds] = values;
  if (values.length !== 4 || initialWaitSeconds === undefined || connectionsTimeoutSeconds === undefined || transactionsTimeoutSeconds === undefined || leaseTransferIterationSeconds === undefined) return undefined;
  return { initialWaitSeconds, connectionsTimeoutSeconds, transactionsTimeoutSeconds, leaseTransferIterationSeconds };
}

import { BACKUP_COLLECTIONS_PREFIX } from '../backup/backup-schedule';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { NODE_PATHS as P } from '../scripts/node-paths';
import { chainLayersSql } from './backup-chains';
import type { ObservedDrainSettings } from './cluster-observation';

/**
 * The script the roll and the restore run on a node (through SSM Run Command, as root). It is
 * self-contained, so it also works on a node that booted with older scripts: it fetches root's
 * client certificate itself when the node has none yet. `$ROOT` (COCKROACH_BOOT_ROOT) prefixes
 * every path, as in the boot scripts, for the tests.
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
 * - `refresh-certs`: what `cockroach-cert-refresh.timer` runs now (the node's certificates from
 *   Secrets Manager; SIGHUP when they changed)
 */
/** The `server.shutdown.*` settings of a drain, in the order of the `shutdown=` line. */
const DRAIN_SETTINGS = ['initial_wait', 'connections.timeout', 'transactions.timeout', 'lease_transfer_iteration.timeout'];

/** Precedes the CSV of each statement in the output of the `sql` action. */
export const SQL_RESULT_MARKER = '--- crdb-ory result';

export function renderNodeCommandScript(): string {
  return `#!/bin/bash
set -euo pipefail
ACTION="\${1:?usage: <action> [args]}"
shift
ROOT="\${COCKROACH_BOOT_ROOT:-}"
REGION="\${CRDB_ORY_REGION:?}"
ROOT_SECRET="\${CRDB_ORY_ROOT_CLIENT_SECRET:?}"
CERTS="$ROOT${P.rootCertsDir}"
HOST="localhost:${SQL_PORT}"
export PATH="$PATH:/usr/local/bin"

ensure_root_certs() {
  [ -s "$CERTS/client.root.key" ] && return 0
  local json file
  json="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$ROOT_SECRET" --query SecretString --output text)"
  install -d -m 0700 "$CERTS"
  for file in ca.crt client.root.crt client.root.key; do
    (umask 077 && printf '%s\\n' "$(printf '%s' "$json" | jq -er --arg key "$file" '.[$key]')" >"$CERTS/$file")
  done
}

# sql <statement> [flags]
sql() {
  local statement="$1"
  shift
  cockroach sql --certs-dir="$CERTS" --host="$HOST" --format=csv "$@" -e "$statement"
}

# The rows of a query, without the CSV header.
rows() {
  sql "$1" | tail -n +2
}

case "$ACTION" in
  status)
    echo "ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 'http://localhost:${HTTP_PORT}/health?ready=1' || true)"
    echo "binary=$(cockroach version --build-tag 2>/dev/null || echo unknown)"
    ;;
  cluster)
    ensure_root_certs
    echo "cluster_version=$(rows 'SHOW CLUSTER SETTING version')"
    echo "preserve_downgrade=$(rows 'SHOW CLUSTER SETTING cluster.preserve_downgrade_option')"
    rows 'SELECT n.node_id, n.address, n.build_tag, n.is_live, l.draining FROM crdb_internal.gossip_nodes AS n JOIN crdb_internal.gossip_liveness AS l USING (node_id) ORDER BY n.node_id' | sed 's/^/node=/'
    echo "ranges=$(rows "SELECT coalesce(sum((metrics->>'ranges.underreplicated')::INT8), 0), coalesce(sum((metrics->>'ranges.unavailable')::INT8), 0) FROM crdb_internal.kv_store_status")"
    shutdown=()
    for setting in ${DRAIN_SETTINGS.join(' ')}; do shutdown+=("$(rows "SHOW CLUSTER SETTING server.shutdown.$setting")"); done
    echo "shutdown=$(IFS=,; echo "\${shutdown[*]}")"
    ;;
  drain)
    ensure_root_certs
    cockroach node drain --self --certs-dir="$CERTS" --host="$HOST" --drain-wait="\${1:?seconds}s"
    ;;
  sql)
    ensure_root_certs
    flags=()
    case "\${1:-}" in --database=*) flags=("$1"); shift ;; esac
    index=0
    for encoded in "\${@:?base64 statement}"; do
      echo "${SQL_RESULT_MARKER} $index"
      sql "$(printf '%s' "$encoded" | base64 -d)" "\${flags[@]}"
      index=$((index + 1))
    done
    ;;
  restart)
    systemctl restart cockroach.service
    ;;
  collections)
    aws s3api list-objects-v2 --region "$REGION" --bucket "\${1:?bucket}" --prefix ${BACKUP_COLLECTIONS_PREFIX}/ --delimiter / --query 'CommonPrefixes[].Prefix' --output text |
      tr '\\t' '\\n' | sed -n 's#^${BACKUP_COLLECTIONS_PREFIX}/\\([^/]*\\)/$#collection=\\1#p'
    ;;
  backups)
    ensure_root_certs
    uri="\${1:?collection uri}"
    paths="$(rows "SHOW BACKUPS IN '$uri'")"
    for path in $paths; do
      if layers="$(rows "${chainLayersSql("$path", "$uri")}")"; then
        printf '%s\\n' "$layers" | sed -n "s#^.#layer=$path,&#p"
      else
        echo "unreadable=$path"
      fi
    done
    ;;
  refresh-certs)
    "$ROOT${P.refreshCertsScript}" "$ROOT${P.envFile}"
    ;;
  *)
    echo "unknown action $ACTION" >&2
    exit 2
    ;;
esac
`;
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
  if (values.length !== 4 || values.some((v) => v === undefined)) return undefined;
  const [initialWaitSeconds, connectionsTimeoutSeconds, transactionsTimeoutSeconds, leaseTransferIterationSeconds] = values as number[];
  return { initialWaitSeconds: initialWaitSeconds!, connectionsTimeoutSeconds: connectionsTimeoutSeconds!, transactionsTimeoutSeconds: transactionsTimeoutSeconds!, leaseTransferIterationSeconds: leaseTransferIterationSeconds! };
}

#!/bin/bash
set -euo pipefail
ACTION="${1:?usage: <action> [args]}"
shift
ROOT="${COCKROACH_BOOT_ROOT:-}"
REGION="${CRDB_ORY_REGION:?}"
ROOT_SECRET="${CRDB_ORY_ROOT_CLIENT_SECRET:?}"
CERTS="$ROOT@@ROOT_CERTS_DIR@@"
HOST="localhost:@@SQL_PORT@@"
export PATH="$PATH:/usr/local/bin"

ensure_root_certs() {
  [ -s "$CERTS/client.root.key" ] && return 0
  local json file
  json="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$ROOT_SECRET" --query SecretString --output text)"
  install -d -m 0700 "$CERTS"
  for file in ca.crt client.root.crt client.root.key; do
    (umask 077 && printf '%s\n' "$(printf '%s' "$json" | jq -er --arg key "$file" '.[$key]')" >"$CERTS/$file")
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
    echo "ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 'http://localhost:@@HTTP_PORT@@/health?ready=1' || true)"
    echo "binary=$(cockroach version --build-tag 2>/dev/null || echo unknown)"
    ;;
  cluster)
    ensure_root_certs
    echo "cluster_version=$(rows 'SHOW CLUSTER SETTING version')"
    echo "preserve_downgrade=$(rows 'SHOW CLUSTER SETTING cluster.preserve_downgrade_option')"
    rows "SELECT n.node_id, n.address, n.build_tag, n.is_live, l.draining FROM crdb_internal.gossip_nodes AS n JOIN crdb_internal.gossip_liveness AS l USING (node_id) WHERE l.membership != 'decommissioned' ORDER BY n.node_id" | sed 's/^/node=/'
    echo "ranges=$(rows "@@STORE_RANGES_SQL@@")"
    shutdown=()
    for setting in initial_wait connections.timeout transactions.timeout lease_transfer_iteration.timeout; do shutdown+=("$(rows "SHOW CLUSTER SETTING server.shutdown.$setting")"); done
    echo "shutdown=$(IFS=,; echo "${shutdown[*]}")"
    ;;
  drain)
    ensure_root_certs
    cockroach node drain --self --certs-dir="$CERTS" --host="$HOST" --drain-wait="${1:?seconds}s"
    ;;
  decommission-status)
    ensure_root_certs
    cockroach node status --decommission --certs-dir="$CERTS" --host="$HOST" --format=csv
    ;;
  decommission)
    ensure_root_certs
    step="${1:?check|start|finish}"
    shift
    case "$step" in
      check) flags=(--dry-run) ;;
      start) flags=(--wait=none) ;;
      finish) flags=(--wait=all) ;;
      *) echo "unknown decommission step $step" >&2; exit 2 ;;
    esac
    cockroach node decommission "${@:?node ids}" "${flags[@]}" --certs-dir="$CERTS" --host="$HOST"
    ;;
  sql)
    ensure_root_certs
    flags=()
    case "${1:-}" in --database=*) flags=("$1"); shift ;; esac
    index=0
    for encoded in "${@:?base64 statement}"; do
      echo "@@SQL_RESULT_MARKER@@ $index"
      sql "$(printf '%s' "$encoded" | base64 -d)" "${flags[@]}"
      index=$((index + 1))
    done
    ;;
  restart)
    systemctl restart cockroach.service
    ;;
  collections)
    aws s3api list-objects-v2 --region "$REGION" --bucket "${1:?bucket}" --prefix @@BACKUP_COLLECTIONS_PREFIX@@/ --delimiter / --query 'CommonPrefixes[].Prefix' --output text |
      tr '\t' '\n' | sed -n 's#^@@BACKUP_COLLECTIONS_PREFIX@@/\([^/]*\)/$#collection=\1#p'
    ;;
  backups)
    ensure_root_certs
    uri="${1:?collection uri}"
    paths="$(rows "SHOW BACKUPS IN '$uri'")"
    for path in $paths; do
      if layers="$(rows "@@CHAIN_LAYERS_SQL@@")"; then
        printf '%s\n' "$layers" | sed -n "s#^.#layer=$path,&#p"
      else
        echo "unreadable=$path"
      fi
    done
    ;;
  refresh-certs)
    "$ROOT@@REFRESH_CERTS_SCRIPT@@" "$ROOT@@NODE_ENV_FILE@@"
    ;;
  *)
    echo "unknown action $ACTION" >&2
    exit 2
    ;;
esac

#!/bin/bash
set -euo pipefail
SCRIPT_NAME=cockroach-bootstrap
ENV_FILE="${1:?usage: bootstrap.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "${AWS_REGION:?} ${NODE_IP:?} ${ROOT_CLIENT_SECRET_ARN:?} ${BOOTSTRAP_STATUS_PARAMETER:?}"
LICENSE_SECRET_ARN="${LICENSE_SECRET_ARN:-}"
BACKUP_SCHEDULE_LABEL="${BACKUP_SCHEDULE_LABEL:-}"

@@SHELL_COMMON@@

CERTS="$ROOT@@ROOT_CERTS_DIR@@"
HOST="$NODE_IP:@@SQL_PORT@@"

init_cluster() {
  local out
  if out="$(cockroach init --certs-dir="$CERTS" --host="$HOST" 2>&1)"; then
    log "cluster initialized"
    return 0
  fi
  case "$out" in
    *"already been initialized"*)
      log "cluster was already initialized"
      return 0
      ;;
  esac
  log "cockroach init: $out"
  return 1
}

run_sql_file() {
  cockroach sql --certs-dir="$CERTS" --host="$HOST" <"$1"
}

# sql_value <query>: the first column of the first row ("" when there is none).
sql_value() {
  local out
  out="$(cockroach sql --certs-dir="$CERTS" --host="$HOST" --format=csv -e "$1")" || return 1
  printf '%s\n' "$out" | sed -n '2p'
}

apply_license() {
  local key sql
  key="$(read_secret "$LICENSE_SECRET_ARN")" || fail "cannot read license secret $LICENSE_SECRET_ARN"
  [[ "$key" =~ @@LICENSE_KEY_PATTERN@@ ]] || fail "license secret $LICENSE_SECRET_ARN does not hold a CockroachDB license key (crl-...)"
  sql="$(mktemp)"
  printf "SET CLUSTER SETTING enterprise.license = '%s';\n" "$key" >"$sql"
  retry "applying the license key" run_sql_file "$sql"
  rm -f "$sql"
  log "license key applied"
}

# The schedule writes to s3://<bucket>/clusters/<this cluster's id>: created once, converged after.
apply_backup_schedule() {
  local cluster_id schedule_id sql status=0
  cluster_id="$(sql_value "SELECT crdb_internal.cluster_id() AS cluster_id")" || return 1
  [[ "$cluster_id" =~ ^[0-9a-f-]{36}$ ]] || { log "unexpected cluster id: $cluster_id"; return 1; }
  schedule_id="$(sql_value "@@FIND_BACKUP_SCHEDULE_SQL@@")" || return 1
  sql="$(mktemp)"
  if [ -z "$schedule_id" ]; then
    sed "s/@@CLUSTER_ID_MARKER@@/$cluster_id/g" "$ROOT@@BACKUP_SCHEDULE_CREATE_SQL@@" >"$sql"
    run_sql_file "$sql" || status=1
    [ "$status" -ne 0 ] || log "backup schedule $BACKUP_SCHEDULE_LABEL created (collection of cluster $cluster_id)"
  elif [[ "$schedule_id" =~ ^[0-9]+$ ]]; then
    sed "s/@@SCHEDULE_ID_MARKER@@/$schedule_id/g" "$ROOT@@BACKUP_SCHEDULE_ALTER_SQL@@" >"$sql"
    run_sql_file "$sql" || status=1
    [ "$status" -ne 0 ] || log "backup schedule $BACKUP_SCHEDULE_LABEL ($schedule_id) converged to the configured cadence"
  else
    log "unexpected schedule id: $schedule_id"
    status=1
  fi
  rm -f "$sql"
  return "$status"
}

# The last step: the ory stack's plan waits for this value (bootstrap-status.ts). The parameter
# exists (the cockroach stack creates it as pending before node 1): overwrite it, never create it.
publish_completion() {
  local cluster_id
  cluster_id="$(sql_value "SELECT crdb_internal.cluster_id() AS cluster_id")" || return 1
  [[ "$cluster_id" =~ ^[0-9a-f-]{36}$ ]] || { log "unexpected cluster id: $cluster_id"; return 1; }
  aws ssm put-parameter --region "$AWS_REGION" --name "$BOOTSTRAP_STATUS_PARAMETER" --overwrite     --value "@@BOOTSTRAP_COMPLETE_WORD@@ cluster=$cluster_id at=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
}

write_secret_files "$ROOT_CLIENT_SECRET_ARN" "$CERTS" root ca.crt client.root.crt client.root.key
retry "cockroach init" init_cluster
retry "bootstrap SQL" run_sql_file "$ROOT@@BOOTSTRAP_SQL@@"
if [ -n "$LICENSE_SECRET_ARN" ]; then
  apply_license
else
  log "WARNING: no license key configured; the cluster is throttled 7 days after init"
fi
if [ -n "$BACKUP_SCHEDULE_LABEL" ]; then
  retry "backup schedule" apply_backup_schedule
else
  log "WARNING: no backup schedule configured; nothing backs this cluster up"
fi
retry "publishing bootstrap completion to $BOOTSTRAP_STATUS_PARAMETER" publish_completion
log "bootstrap complete"

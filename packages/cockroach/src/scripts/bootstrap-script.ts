import { CLUSTER_ID_PLACEHOLDER, SCHEDULE_ID_PLACEHOLDER, findBackupScheduleSql } from '../backup/backup-schedule';
import { BOOTSTRAP_COMPLETE_WORD } from '../bootstrap-status';
import { SQL_PORT } from '../cockroach-names';
import { NODE_PATHS as P } from './node-paths';
import { SHELL_COMMON } from './shell-common';

/** What a CockroachDB license key looks like; anything else is refused before it reaches SQL. */
export const LICENSE_KEY_PATTERN = '^crl-[A-Za-z0-9+/=_-]+$';

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
  return `#!/bin/bash
set -euo pipefail
SCRIPT_NAME=cockroach-bootstrap
ENV_FILE="\${1:?usage: bootstrap.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "\${AWS_REGION:?} \${NODE_IP:?} \${ROOT_CLIENT_SECRET_ARN:?} \${BOOTSTRAP_STATUS_PARAMETER:?}"
LICENSE_SECRET_ARN="\${LICENSE_SECRET_ARN:-}"
BACKUP_SCHEDULE_LABEL="\${BACKUP_SCHEDULE_LABEL:-}"
${SHELL_COMMON}
CERTS="$ROOT${P.rootCertsDir}"
HOST="$NODE_IP:${SQL_PORT}"

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
  printf '%s\\n' "$out" | sed -n '2p'
}

apply_license() {
  local key sql
  key="$(read_secret "$LICENSE_SECRET_ARN")" || fail "cannot read license secret $LICENSE_SECRET_ARN"
  [[ "$key" =~ ${LICENSE_KEY_PATTERN} ]] || fail "license secret $LICENSE_SECRET_ARN does not hold a CockroachDB license key (crl-...)"
  sql="$(mktemp)"
  printf "SET CLUSTER SETTING enterprise.license = '%s';\\n" "$key" >"$sql"
  retry "applying the license key" run_sql_file "$sql"
  rm -f "$sql"
  log "license key applied"
}

# The schedule writes to s3://<bucket>/clusters/<this cluster's id>: created once, converged after.
apply_backup_schedule() {
  local cluster_id schedule_id sql status=0
  cluster_id="$(sql_value "SELECT crdb_internal.cluster_id() AS cluster_id")" || return 1
  [[ "$cluster_id" =~ ^[0-9a-f-]{36}$ ]] || { log "unexpected cluster id: $cluster_id"; return 1; }
  schedule_id="$(sql_value "${findBackupScheduleSql('$BACKUP_SCHEDULE_LABEL')}")" || return 1
  sql="$(mktemp)"
  if [ -z "$schedule_id" ]; then
    sed "s/${CLUSTER_ID_PLACEHOLDER}/$cluster_id/g" "$ROOT${P.backupScheduleCreateSql}" >"$sql"
    run_sql_file "$sql" || status=1
    [ "$status" -ne 0 ] || log "backup schedule $BACKUP_SCHEDULE_LABEL created (collection of cluster $cluster_id)"
  elif [[ "$schedule_id" =~ ^[0-9]+$ ]]; then
    sed "s/${SCHEDULE_ID_PLACEHOLDER}/$schedule_id/g" "$ROOT${P.backupScheduleAlterSql}" >"$sql"
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
  aws ssm put-parameter --region "$AWS_REGION" --name "$BOOTSTRAP_STATUS_PARAMETER" --overwrite \
    --value "${BOOTSTRAP_COMPLETE_WORD} cluster=$cluster_id at=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
}

write_secret_files "$ROOT_CLIENT_SECRET_ARN" "$CERTS" root ca.crt client.root.crt client.root.key
retry "cockroach init" init_cluster
retry "bootstrap SQL" run_sql_file "$ROOT${P.bootstrapSql}"
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
`;
}

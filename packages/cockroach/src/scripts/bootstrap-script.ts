import { SQL_PORT } from '../cockroach-names';
import { NODE_PATHS as P } from './node-paths';
import { SHELL_COMMON } from './shell-common';

/** What a CockroachDB license key looks like; anything else is refused before it reaches SQL. */
export const LICENSE_KEY_PATTERN = '^crl-[A-Za-z0-9+/=_-]+$';

/**
 * The bootstrap script (`bootstrap.sh <node.env>`), run on node 1 against itself (never through
 * the NLB): `cockroach init` ("already been initialized" is success), then the idempotent
 * bootstrap SQL, then the license key if a secret is configured. Each step is retried until the
 * cluster answers, at most COCKROACH_RETRY_ATTEMPTS times.
 */
export function renderBootstrapScript(): string {
  return `#!/bin/bash
set -euo pipefail
SCRIPT_NAME=cockroach-bootstrap
ENV_FILE="\${1:?usage: bootstrap.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "\${AWS_REGION:?} \${NODE_IP:?} \${ROOT_CLIENT_SECRET_ARN:?}"
LICENSE_SECRET_ARN="\${LICENSE_SECRET_ARN:-}"
${SHELL_COMMON}
CERTS="$ROOT${P.bootstrapCertsDir}"
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

write_secret_files "$ROOT_CLIENT_SECRET_ARN" "$CERTS" root ca.crt client.root.crt client.root.key
retry "cockroach init" init_cluster
retry "bootstrap SQL" run_sql_file "$ROOT${P.bootstrapSql}"
if [ -n "$LICENSE_SECRET_ARN" ]; then
  apply_license
else
  log "WARNING: no license key configured; the cluster is throttled 7 days after init"
fi
log "bootstrap complete"
`;
}

import { NODE_PATHS as P } from './node-paths';
import { SHELL_COMMON } from './shell-common';

/**
 * `refresh-certs.sh <node.env>` (hourly, `cockroach-cert-refresh.timer`): re-reads the node's
 * certificate secret and root's client certificate, rewriting only files that changed, and when
 * the node certificate, key or CA changed sends cockroach SIGHUP (`systemctl reload`): CockroachDB
 * re-reads its certificates without a restart. So a `cdktf deploy cockroach-pki` that renews
 * them reaches every running node within the hour, with nobody logging in.
 */
export function renderRefreshCertsScript(): string {
  return `#!/bin/bash
set -euo pipefail
SCRIPT_NAME=cockroach-cert-refresh
ENV_FILE="\${1:?usage: refresh-certs.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "\${AWS_REGION:?} \${NODE_SECRET_ARN:?} \${ROOT_CLIENT_SECRET_ARN:?}"
${SHELL_COMMON}
node_certs_fingerprint() {
  cat "$ROOT${P.certsDir}/ca.crt" "$ROOT${P.certsDir}/node.crt" "$ROOT${P.certsDir}/node.key" 2>/dev/null | sha256sum
}

before="$(node_certs_fingerprint)"
write_secret_files "$NODE_SECRET_ARN" "$ROOT${P.certsDir}" cockroach ca.crt node.crt node.key
write_secret_files "$ROOT_CLIENT_SECRET_ARN" "$ROOT${P.rootCertsDir}" root ca.crt client.root.crt client.root.key
if [ "$(node_certs_fingerprint)" = "$before" ]; then
  log "certificates unchanged"
elif systemctl is-active --quiet cockroach.service; then
  systemctl reload cockroach.service
  log "node certificates changed: cockroach re-read them (SIGHUP)"
else
  log "node certificates changed; cockroach is not running, it reads them when it starts"
fi
`;
}

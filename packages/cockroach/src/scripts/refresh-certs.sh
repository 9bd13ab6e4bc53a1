#!/bin/bash
set -euo pipefail
SCRIPT_NAME=cockroach-cert-refresh
ENV_FILE="${1:?usage: refresh-certs.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "${AWS_REGION:?} ${NODE_SECRET_ARN:?} ${ROOT_CLIENT_SECRET_ARN:?}"

@@SHELL_COMMON@@

node_certs_fingerprint() {
  cat "$ROOT@@CERTS_DIR@@/ca.crt" "$ROOT@@CERTS_DIR@@/node.crt" "$ROOT@@CERTS_DIR@@/node.key" 2>/dev/null | sha256sum
}

before="$(node_certs_fingerprint)"
write_secret_files "$NODE_SECRET_ARN" "$ROOT@@CERTS_DIR@@" cockroach ca.crt node.crt node.key
write_secret_files "$ROOT_CLIENT_SECRET_ARN" "$ROOT@@ROOT_CERTS_DIR@@" root ca.crt client.root.crt client.root.key
if [ "$(node_certs_fingerprint)" = "$before" ]; then
  log "certificates unchanged"
elif systemctl is-active --quiet cockroach.service; then
  systemctl reload cockroach.service
  log "node certificates changed: cockroach re-read them (SIGHUP)"
else
  log "node certificates changed; cockroach is not running, it reads them when it starts"
fi

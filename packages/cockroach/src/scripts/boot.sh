#!/bin/bash
set -euo pipefail
SCRIPT_NAME=cockroach-boot
ENV_FILE="${1:?usage: boot.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "${AWS_REGION:?} ${NODE_INDEX:?} ${NODE_IP:?} ${JOIN_ADDRESSES:?} ${LOCALITY_ZONE:?}"
: "${NODE_SECRET_ARN:?} ${DATA_VOLUME_ID:?} ${COCKROACH_VERSION:?} ${COCKROACH_SHA256:?} ${COCKROACH_URL:?}"
: "${CACHE_SIZE:?} ${MAX_SQL_MEMORY:?} ${RUN_BOOTSTRAP:?} ${ROOT_CLIENT_SECRET_ARN:?}"

@@SHELL_COMMON@@

ensure_user() {
  if ! id -u cockroach >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/cockroach --shell /sbin/nologin cockroach
  fi
}

ensure_jq() {
  command -v jq >/dev/null 2>&1 || retry "installing jq" dnf install -y jq
}

install_cockroach() {
  local marker="$ROOT@@BINARY@@.$COCKROACH_VERSION"
  if [ -x "$ROOT@@BINARY@@" ] && [ -e "$marker" ]; then
    log "CockroachDB $COCKROACH_VERSION is installed"
    return 0
  fi
  local work name="cockroach-$COCKROACH_VERSION.linux-amd64"
  work="$(mktemp -d)"
  retry "download of $COCKROACH_URL" curl -fsSL -o "$work/$name.tgz" "$COCKROACH_URL"
  echo "$COCKROACH_SHA256  $work/$name.tgz" | sha256sum --check --status - ||
    fail "SHA-256 of $COCKROACH_URL is not $COCKROACH_SHA256: refusing to install it"
  tar -xzf "$work/$name.tgz" -C "$work"
  install -D -m 0755 "$work/$name/cockroach" "$ROOT@@BINARY@@"
  if [ -d "$work/$name/lib" ]; then
    # Spatial libraries (GEOS): CockroachDB looks in @@LIB_DIR@@ (or lib/ next to the binary).
    install -d "$ROOT@@LIB_DIR@@"
    cp -f "$work/$name/lib/"* "$ROOT@@LIB_DIR@@/"
  fi
  rm -f "$ROOT@@BINARY@@".v*
  touch "$marker"
  rm -rf "$work"
  log "installed CockroachDB $COCKROACH_VERSION"
}

configure_chrony() {
  local conf="$ROOT/etc/chrony.conf"
  if ! grep -qs '^server @@TIME_SYNC_IP@@ ' "$conf"; then
    echo 'server @@TIME_SYNC_IP@@ prefer iburst minpoll 4 maxpoll 4' >>"$conf"
  fi
  systemctl enable chronyd
  systemctl restart chronyd
  retry "clock synchronisation with Amazon Time Sync" chronyc waitsync 1 0.1
}

mount_data_volume() {
  local device="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${DATA_VOLUME_ID//-/}"
  retry "attachment of data volume $DATA_VOLUME_ID" test -e "$ROOT$device"
  if ! blkid "$ROOT$device" >/dev/null 2>&1; then
    log "formatting blank data volume $DATA_VOLUME_ID"
    mkfs.xfs -L cockroach-data "$ROOT$device"
  fi
  install -d "$ROOT@@STORE_DIR@@"
  if ! grep -qs "^$device " "$ROOT/etc/fstab"; then
    echo "$device @@STORE_DIR@@ xfs defaults,noatime,nofail 0 2" >>"$ROOT/etc/fstab"
  fi
  mountpoint -q "$ROOT@@STORE_DIR@@" || mount "$ROOT@@STORE_DIR@@"
  chown cockroach:cockroach "$ROOT@@STORE_DIR@@"
}

install_unit() {
  local name="$1" content="$2"
  if [ -f "$ROOT@@UNIT_DIR@@/$name" ] && [ "$(cat "$ROOT@@UNIT_DIR@@/$name")" = "$content" ]; then
    return 0
  fi
  install -d "$ROOT@@UNIT_DIR@@"
  write_file "$ROOT@@UNIT_DIR@@/$name" "$content" root 0644
  systemctl daemon-reload
}

start_cockroach() {
  install_unit cockroach.service "$(cat <<UNIT
@@COCKROACH_UNIT@@
UNIT
)"
  systemctl enable --now cockroach.service
}

start_timers() {
@@INSTALL_TIMER_UNITS@@
  systemctl enable --now @@TIMER_UNITS@@
}

start_bootstrap() {
  install_unit cockroach-bootstrap.service "$(cat <<UNIT
@@BOOTSTRAP_UNIT@@
UNIT
)"
  systemctl enable --now --no-block cockroach-bootstrap.service
}

ensure_user
ensure_jq
install_cockroach
configure_chrony
mount_data_volume
write_secret_files "$NODE_SECRET_ARN" "$ROOT@@CERTS_DIR@@" cockroach ca.crt node.crt node.key
# root's client certificate: admin commands on any node (drain, node status, the roll, restores).
write_secret_files "$ROOT_CLIENT_SECRET_ARN" "$ROOT@@ROOT_CERTS_DIR@@" root ca.crt client.root.crt client.root.key
start_cockroach
start_timers
if [ "$RUN_BOOTSTRAP" = "1" ]; then
  start_bootstrap
fi
log "node $NODE_INDEX is configured"

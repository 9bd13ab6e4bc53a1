#!/bin/bash
set -euo pipefail
ROOT="${COCKROACH_BOOT_ROOT:-}"
install -d -m 0755 "$ROOT/etc/cockroach" "$ROOT@@SCRIPT_DIR@@"
@@WRITE_FILES@@
exec "$ROOT@@BOOT_SCRIPT@@" "$ROOT@@NODE_ENV_FILE@@"

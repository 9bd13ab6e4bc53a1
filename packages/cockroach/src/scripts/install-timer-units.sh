  install_unit @@TIMER@@.service "$(cat <<'UNIT'
@@SERVICE_UNIT@@
UNIT
)"
  install_unit @@TIMER@@.timer "$(cat <<'UNIT'
@@TIMER_UNIT@@
UNIT
)"

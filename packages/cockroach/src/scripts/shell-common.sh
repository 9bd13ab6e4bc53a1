ROOT="${COCKROACH_BOOT_ROOT:-}"
RETRY_ATTEMPTS="${COCKROACH_RETRY_ATTEMPTS:-60}"
RETRY_SLEEP="${COCKROACH_RETRY_SLEEP:-10}"

log() {
  echo "$SCRIPT_NAME: $*" >&2
}

fail() {
  log "ERROR: $*"
  exit 1
}

# retry <what> <command...>: runs the command until it succeeds, at most RETRY_ATTEMPTS times.
# The successful attempt's stdout passes through: value="$(retry ... cmd)" captures it.
retry() {
  local what="$1"
  shift
  local attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$RETRY_ATTEMPTS" ]; then
      fail "$what did not succeed after $RETRY_ATTEMPTS attempts"
    fi
    log "$what failed (attempt $attempt of $RETRY_ATTEMPTS); retrying in $RETRY_SLEEP s"
    attempt=$((attempt + 1))
    sleep "$RETRY_SLEEP"
  done
}

read_secret_once() {
  aws secretsmanager get-secret-value --region "$AWS_REGION" --secret-id "$1" --query SecretString --output text
}

# read_secret <arn>: the SecretString, retried (a new role's permissions can take a while).
read_secret() {
  retry "reading secret $1" read_secret_once "$1"
}

# write_secret_files <secret arn> <dir> <owner> <file...>: each file is a key of the secret's
# JSON. Keys are written 0600, certificates 0644, all owned by <owner>; the dir is 0700.
write_secret_files() {
  local arn="$1" dir="$2" owner="$3"
  shift 3
  local json file content
  json="$(read_secret "$arn")" || fail "cannot read secret $arn"
  install -d -m 0700 "$dir"
  chown "$owner:$owner" "$dir"
  for file in "$@"; do
    content="$(printf '%s' "$json" | jq -er --arg key "$file" '.[$key]')" || fail "secret $arn has no $file"
    write_file "$dir/$file" "$content" "$owner" "$(file_mode "$file")"
  done
}

file_mode() {
  case "$1" in
    *.key) echo 0600 ;;
    *) echo 0644 ;;
  esac
}

# write_file <path> <content> <owner> <mode>: atomic, and leaves an identical file untouched.
write_file() {
  local path="$1" content="$2" owner="$3" mode="$4" tmp
  if [ -f "$path" ] && [ "$(cat "$path")" = "$content" ]; then
    return 0
  fi
  tmp="$(mktemp "$path.XXXXXX")"
  printf '%s\n' "$content" >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner:$owner" "$tmp"
  mv -f "$tmp" "$path"
}

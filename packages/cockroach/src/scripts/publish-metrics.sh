#!/bin/bash
set -euo pipefail
ENV_FILE="${1:?usage: publish-metrics.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "${AWS_REGION:?} ${NODE_INDEX:?} ${CLUSTER_NAME:?} ${METRICS_NAMESPACE:?}"
ROOT="${COCKROACH_BOOT_ROOT:-}"
ORY_CERTIFICATES_PATH="${ORY_CERTIFICATES_PATH:-}"
STATE_DIR="$ROOT@@METRICS_STATE_DIR@@"
problems=0

problem() {
  echo "cockroach-metrics: $*" >&2
  problems=1
}

free_percent() {
  df --output=avail,size -B1 "$ROOT@@STORE_DIR@@" | awk 'NR == 2 && $2 > 0 { printf "%.2f", $1 * 100 / $2; found = 1 } END { if (!found) exit 1 }'
}

# days_left <pem file...>: days until the first of the certificates in the files expires (negative once one has).
days_left() {
  local now file end min="" dir
  now="$(date +%s)"
  dir="$(mktemp -d)"
  for file in "$@"; do
    [ -f "$file" ] || continue
    # One file may hold several certificates (a CA and a client certificate): each counts.
    awk -v dir="$dir" '/^-----BEGIN( TRUSTED)? CERTIFICATE-----/ { n++ } n { print > (dir "/" n ".pem") }' "$file"
    for cert in "$dir"/*.pem; do
      [ -f "$cert" ] || continue
      end="$(date -d "$(openssl x509 -enddate -noout -in "$cert" | cut -d= -f2)" +%s)"
      if [ -z "$min" ] || [ "$end" -lt "$min" ]; then min="$end"; fi
      rm -f "$cert"
    done
  done
  rm -rf "$dir"
  [ -n "$min" ] || return 1
  awk -v end="$min" -v now="$now" 'BEGIN { printf "%.2f", (end - now) / 86400 }'
}

# metric_value <name> <sum|max>: the value of a metric in this node's Prometheus output (all its
# series, labels ignored, summed or the largest), as an integer; fails when the metric is absent.
metric_value() {
  printf '%s\n' "$VARS" | awk -v name="$1" -v how="$2" '
    $1 == name || index($1, name "{") == 1 { v = $NF + 0; r = (!seen) ? v : (how == "sum" ? r + v : (v > r ? v : r)); seen = 1 }
    END { if (!seen) exit 1; printf "%.0f", r }'
}

# The increase of this node's schedules_BACKUP_failed counter since the last run. A counter lower
# than last time means cockroach restarted (it counts from 0 again): then all of it is new.
backup_failures() {
  local current previous=""
  current="$(metric_value schedules_BACKUP_failed sum)" || return 1
  if [ -f "$STATE_DIR/schedules_BACKUP_failed" ]; then previous="$(cat "$STATE_DIR/schedules_BACKUP_failed")"; fi
  if [ -z "$previous" ] || [ "$current" -lt "$previous" ]; then echo "$current"; else echo $((current - previous)); fi
}

datum() {
  # datum <name> <unit> <value> <dimensions json>
  printf '{"MetricName":"%s","Unit":"%s","Value":%s,"Dimensions":%s}' "$1" "$2" "$3" "$4"
}

dimension() {
  printf '{"Name":"%s","Value":"%s"}' "$1" "$2"
}

node_dimensions="[$(dimension @@CLUSTER_DIMENSION@@ "$CLUSTER_NAME"),$(dimension @@NODE_DIMENSION@@ "node-$NODE_INDEX")]"
cluster_dimensions="[$(dimension @@CLUSTER_DIMENSION@@ "$CLUSTER_NAME")]"
data=()

if free="$(free_percent)"; then
  data+=("$(datum @@DATA_VOLUME_FREE_PERCENT_METRIC@@ Percent "$free" "$node_dimensions")")
else
  problem "cannot read the free space of @@STORE_DIR@@"
fi
if days="$(days_left "$ROOT@@CERTS_DIR@@/ca.crt" "$ROOT@@CERTS_DIR@@/node.crt" "$ROOT@@ROOT_CERTS_DIR@@/client.root.crt")"; then
  data+=("$(datum @@CERTIFICATE_DAYS_TO_EXPIRY_METRIC@@ None "$days" "$node_dimensions")")
else
  problem "no certificate to check"
fi

FAILED_COUNTER=""
if VARS="$(curl -fsS --max-time 20 --cacert "$ROOT@@CERTS_DIR@@/ca.crt" "https://localhost:@@HTTP_PORT@@/_status/vars")"; then
  if failures="$(backup_failures)"; then
    FAILED_COUNTER="$(metric_value schedules_BACKUP_failed sum)"
    data+=("$(datum @@BACKUP_SCHEDULE_FAILURES_METRIC@@ Count "$failures" "$cluster_dimensions")")
  else
    problem "no schedules_BACKUP_failed in this node's /_status/vars"
  fi
  if completed="$(metric_value schedules_BACKUP_last_completed_time max)"; then
    # 0 until this node completes a backup for a schedule that maintains the metric: nothing to say.
    if [ "$completed" -gt 0 ]; then
      age="$(awk -v now="$(date +%s)" -v at="$completed" 'BEGIN { printf "%.2f", (now - at) / 3600 }')"
      data+=("$(datum @@LAST_COMPLETED_BACKUP_AGE_HOURS_METRIC@@ None "$age" "$cluster_dimensions")")
    fi
  else
    problem "no schedules_BACKUP_last_completed_time in this node's /_status/vars"
  fi
else
  problem "cannot read https://localhost:@@HTTP_PORT@@/_status/vars: no backup metrics published"
fi

if [ -n "$ORY_CERTIFICATES_PATH" ]; then
  if parameters="$(aws ssm get-parameters-by-path --region "$AWS_REGION" --path "$ORY_CERTIFICATES_PATH" --output json)"; then
    work="$(mktemp -d)"
    while IFS= read -r name; do
      [ -n "$name" ] || continue
      service="${name##*/}"
      printf '%s' "$parameters" | jq -r --arg name "$name" '.Parameters[] | select(.Name == $name) | .Value' >"$work/$service.pem"
      if ory_days="$(days_left "$work/$service.pem")"; then
        data+=("$(datum @@ORY_CERTIFICATE_DAYS_TO_EXPIRY_METRIC@@ None "$ory_days" "[$(dimension @@CLUSTER_DIMENSION@@ "$CLUSTER_NAME"),$(dimension @@ORY_SERVICE_DIMENSION@@ "$service")]")")
      else
        problem "parameter $name holds no certificate"
      fi
    done < <(printf '%s' "$parameters" | jq -r '.Parameters[].Name')
    rm -rf "$work"
  else
    problem "cannot read the certificates Ory presents ($ORY_CERTIFICATES_PATH)"
  fi
fi

if [ "${#data[@]}" -gt 0 ]; then
  metric_data="[$(IFS=,; echo "${data[*]}")]"
  aws cloudwatch put-metric-data --region "$AWS_REGION" --namespace "$METRICS_NAMESPACE" --metric-data "$metric_data"
  # Only once published: a failed publication leaves the increase for the next run.
  if [ -n "$FAILED_COUNTER" ]; then
    install -d -m 0700 "$STATE_DIR"
    echo "$FAILED_COUNTER" >"$STATE_DIR/schedules_BACKUP_failed"
  fi
fi
exit "$problems"

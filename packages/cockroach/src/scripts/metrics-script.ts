import { NODE_METRIC, NODE_METRIC_DIMENSIONS } from '../cluster/node-metrics';
import { NODE_PATHS as P } from './node-paths';

/**
 * `publish-metrics.sh <node.env>` (every 5 minutes, `cockroach-metrics.timer`): the data volume's
 * free space (`df` of the store) and the days left on the first of the node's certificates to
 * expire, as CloudWatch metrics of this node. The alarms on them also fire when a node stops
 * publishing (missing data), so a broken timer does not go unnoticed.
 */
export function renderMetricsScript(): string {
  return `#!/bin/bash
set -euo pipefail
ENV_FILE="\${1:?usage: publish-metrics.sh <node.env>}"
# shellcheck source=/dev/null
. "$ENV_FILE"
: "\${AWS_REGION:?} \${NODE_INDEX:?} \${CLUSTER_NAME:?} \${METRICS_NAMESPACE:?}"
ROOT="\${COCKROACH_BOOT_ROOT:-}"

free_percent() {
  df --output=avail,size -B1 "$ROOT${P.storeDir}" | awk 'NR == 2 && $2 > 0 { printf "%.2f", $1 * 100 / $2; found = 1 } END { if (!found) exit 1 }'
}

# Days until the first of the node's certificates expires (negative once one has).
certificate_days_left() {
  local now file end min=""
  now="$(date +%s)"
  for file in "$ROOT${P.certsDir}/ca.crt" "$ROOT${P.certsDir}/node.crt" "$ROOT${P.rootCertsDir}/client.root.crt"; do
    [ -f "$file" ] || continue
    end="$(date -d "$(openssl x509 -enddate -noout -in "$file" | cut -d= -f2)" +%s)"
    if [ -z "$min" ] || [ "$end" -lt "$min" ]; then min="$end"; fi
  done
  [ -n "$min" ] || return 1
  awk -v end="$min" -v now="$now" 'BEGIN { printf "%.2f", (end - now) / 86400 }'
}

data="$(free_percent)" || { echo "cockroach-metrics: cannot read the free space of ${P.storeDir}" >&2; exit 1; }
days="$(certificate_days_left)" || { echo "cockroach-metrics: no certificate to check" >&2; exit 1; }
dimensions="$(printf '[{"Name":"%s","Value":"%s"},{"Name":"%s","Value":"node-%s"}]' ${NODE_METRIC_DIMENSIONS.cluster} "$CLUSTER_NAME" ${NODE_METRIC_DIMENSIONS.node} "$NODE_INDEX")"
metric_data="$(printf '[{"MetricName":"%s","Unit":"Percent","Value":%s,"Dimensions":%s},{"MetricName":"%s","Unit":"None","Value":%s,"Dimensions":%s}]' \
  ${NODE_METRIC.dataVolumeFreePercent} "$data" "$dimensions" ${NODE_METRIC.certificateDaysToExpiry} "$days" "$dimensions")"
aws cloudwatch put-metric-data --region "$AWS_REGION" --namespace "$METRICS_NAMESPACE" --metric-data "$metric_data"
`;
}

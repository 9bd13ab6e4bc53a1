/**
 * CloudWatch's evaluation of one period of a metric alarm (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html:
 * the statistic over the period's datapoints compared with the threshold; "Configuring how
 * CloudWatch alarms treat missing data"), applied to the synthesized `aws_cloudwatch_metric_alarm`
 * and to what the node scripts published (`aws cloudwatch put-metric-data` calls). Every datapoint
 * given is taken to fall in the one period evaluated.
 */
export interface PublishedMetrics {
  readonly namespace: string;
  readonly metricData: ReadonlyArray<{ MetricName: string; Value: number; Dimensions: ReadonlyArray<{ Name: string; Value: string }> }>;
}

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

const STATISTICS: Record<string, (values: number[]) => number> = {
  Sum: (v) => v.reduce((a, b) => a + b, 0),
  Minimum: (v) => Math.min(...v),
  Maximum: (v) => Math.max(...v),
  Average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  SampleCount: (v) => v.length,
};

const COMPARISONS: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** The datapoints of the alarm's metric: same namespace, name and exactly its dimensions. */
export function datapointsOf(alarm: Record<string, any>, published: readonly PublishedMetrics[]): number[] {
  const wanted = JSON.stringify(Object.entries(alarm['dimensions'] ?? {}).sort());
  return published
    .filter((call) => call.namespace === alarm['namespace'])
    .flatMap((call) => call.metricData)
    .filter((datum) => datum.MetricName === alarm['metric_name'] && JSON.stringify(datum.Dimensions.map((d) => [d.Name, d.Value]).sort()) === wanted)
    .map((datum) => datum.Value);
}

export function evaluateAlarm(alarm: Record<string, any>, published: readonly PublishedMetrics[]): AlarmState {
  const values = datapointsOf(alarm, published);
  if (values.length === 0) {
    const missing = alarm['treat_missing_data'] ?? 'missing';
    return missing === 'breaching' ? 'ALARM' : missing === 'notBreaching' ? 'OK' : 'INSUFFICIENT_DATA';
  }
  const statistic = STATISTICS[alarm['statistic']];
  const compare = COMPARISONS[alarm['comparison_operator']];
  if (!statistic || !compare) throw new Error(`not modelled: statistic ${alarm['statistic']}, comparison ${alarm['comparison_operator']}`);
  return compare(statistic(values), Number(alarm['threshold'])) ? 'ALARM' : 'OK';
}

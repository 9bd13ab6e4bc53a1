import { ProductAlarm, ProductAlarmProps, PropProblem, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { NODE_COUNT } from '../cockroach-names';
import { NODE_METRIC, NODE_METRICS_NAMESPACE, nodeMetricDimensions } from './node-metrics';

/** Thresholds of the cluster's alarms. */
export interface CockroachAlarmSettings {
  /** Alarm when a node's first certificate to expire has fewer days left. @default 30 */
  readonly certificateExpiryDays: number;
  /** Alarm when a node's data volume has less free space, percent. @default 20 */
  readonly dataVolumeFreePercent: number;
}

export const DEFAULT_COCKROACH_ALARMS: CockroachAlarmSettings = { certificateExpiryDays: 30, dataVolumeFreePercent: 20 };

export interface CockroachAlarmsProps extends CockroachAlarmSettings {
  readonly namePrefix: string;
  readonly topicArn: string;
  readonly partition: string;
  readonly region: string;
  /** Instance id of each node, in node order. */
  readonly instanceIds: readonly string[];
  /** `arn_suffix` of the SQL load balancer and its target group (CloudWatch dimensions). */
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
}

/** Whole days from 1 to 365: an alarm on a certificate's days to expiry. */
export function certificateExpiryDaysProblems(prop: string, days: number): PropProblem[] {
  return Number.isInteger(days) && days >= 1 && days <= 365 ? [] : [{ prop, value: days, message: 'allowed are whole days from 1 to 365' }];
}

export function freeSpacePercentProblems(prop: string, percent: number): PropProblem[] {
  return percent > 0 && percent < 100 ? [] : [{ prop, value: percent, message: 'allowed is a percentage above 0 and below 100' }];
}

/** Problems unless the thresholds are ones CloudWatch and a sane operator accept. */
export function cockroachAlarmProblems(s: CockroachAlarmSettings): PropProblem[] {
  return [...certificateExpiryDaysProblems('certificateExpiryDays', s.certificateExpiryDays), ...freeSpacePercentProblems('dataVolumeFreePercent', s.dataVolumeFreePercent)];
}

/**
 * The cluster's alarms, each on the alarm topic with a runbook entry: the SQL load balancer's
 * targets (any unhealthy, fewer than three healthy), each node's EC2 status checks (the system
 * check also recovers the instance on new hardware: same id, IP and volumes), its data volume's
 * free space and its certificates' days to expiry (the last two also fire when the node stops
 * publishing them).
 */
export class CockroachAlarms extends Construct {
  readonly alarms: ProductAlarm[] = [];
  private readonly topicArn: string;

  constructor(scope: Construct, id: string, props: CockroachAlarmsProps) {
    super(scope, id);
    throwIfProblems(this, cockroachAlarmProblems(props));
    this.topicArn = props.topicArn;
    const name = (suffix: string): string => `${props.namePrefix}-cockroach-${suffix}`;
    const targets = { LoadBalancer: props.loadBalancerArnSuffix, TargetGroup: props.targetGroupArnSuffix };
    this.add('unhealthy-targets', {
      alarmName: name('sql-unhealthy-targets'),
      summary: 'A CockroachDB node fails the SQL load balancer health check (/health?ready=1) for 3 minutes: it is down, draining or not ready.',
      runbookAnchor: 'alarm-cockroach-unhealthy-targets',
      namespace: 'AWS/NetworkELB', metricName: 'UnHealthyHostCount', dimensions: targets,
      statistic: 'Maximum', period: 60, evaluationPeriods: 3, comparisonOperator: 'GreaterThanThreshold', threshold: 0,
      treatMissingData: 'missing',
    });
    this.add('healthy-targets', {
      alarmName: name('sql-healthy-targets'),
      summary: `Fewer than ${NODE_COUNT} CockroachDB nodes are healthy behind the SQL load balancer for 3 minutes: one more failure loses quorum for some ranges.`,
      runbookAnchor: 'alarm-cockroach-healthy-targets',
      namespace: 'AWS/NetworkELB', metricName: 'HealthyHostCount', dimensions: targets,
      statistic: 'Minimum', period: 60, evaluationPeriods: 3, comparisonOperator: 'LessThanThreshold', threshold: NODE_COUNT,
      // No datapoint at all means the load balancer reports nothing healthy.
      treatMissingData: 'breaching',
    });
    props.instanceIds.forEach((instanceId, i) => this.nodeAlarms(props, i + 1, instanceId, name));
  }

  private nodeAlarms(props: CockroachAlarmsProps, node: number, instanceId: string, name: (suffix: string) => string): void {
    const metrics = nodeMetricDimensions(props.namePrefix, node);
    this.add(`node-${node}-instance-status`, {
      alarmName: name(`node-${node}-instance-status-check`),
      summary: `The EC2 instance status check of CockroachDB node ${node} fails for 3 minutes (the OS does not respond: memory, kernel, file system, network configuration).`,
      runbookAnchor: 'alarm-cockroach-instance-status-check',
      namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_Instance', dimensions: { InstanceId: instanceId },
      statistic: 'Maximum', period: 60, evaluationPeriods: 3, comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1,
      treatMissingData: 'missing',
    });
    this.add(`node-${node}-system-status`, {
      alarmName: name(`node-${node}-system-status-check`),
      summary: `The EC2 system status check of CockroachDB node ${node} fails for 2 minutes (the AWS host is impaired); EC2 recovers the instance onto healthy hardware (same instance id, IP and volumes).`,
      runbookAnchor: 'alarm-cockroach-system-status-check',
      namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions: { InstanceId: instanceId },
      statistic: 'Maximum', period: 60, evaluationPeriods: 2, comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1,
      treatMissingData: 'missing',
      alarmActions: [`arn:${props.partition}:automate:${props.region}:ec2:recover`],
    });
    this.add(`node-${node}-data-volume-free-space`, {
      alarmName: name(`node-${node}-data-volume-free-space`),
      summary: `The data volume of CockroachDB node ${node} has had less than ${props.dataVolumeFreePercent}% free space for 30 minutes, or the node stopped publishing it for 30 minutes.`,
      runbookAnchor: 'alarm-cockroach-data-volume-free-space',
      namespace: NODE_METRICS_NAMESPACE, metricName: NODE_METRIC.dataVolumeFreePercent, dimensions: metrics,
      statistic: 'Minimum', period: 300, evaluationPeriods: 6, comparisonOperator: 'LessThanThreshold', threshold: props.dataVolumeFreePercent,
      treatMissingData: 'breaching',
    });
    this.add(`node-${node}-certificate-expiry`, {
      alarmName: name(`node-${node}-certificate-expiry`),
      summary: `A certificate on CockroachDB node ${node} expires in less than ${props.certificateExpiryDays} days, or the node stopped publishing its certificate metrics for 6 hours.`,
      runbookAnchor: 'alarm-cockroach-certificate-expiry',
      namespace: NODE_METRICS_NAMESPACE, metricName: NODE_METRIC.certificateDaysToExpiry, dimensions: metrics,
      statistic: 'Minimum', period: 3600, evaluationPeriods: 6, comparisonOperator: 'LessThanThreshold', threshold: props.certificateExpiryDays,
      treatMissingData: 'breaching',
    });
  }

  private add(id: string, props: Omit<ProductAlarmProps, 'topicArn'>): void {
    this.alarms.push(new ProductAlarm(this, id, { ...props, topicArn: this.topicArn }));
  }
}

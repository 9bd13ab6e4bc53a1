import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { NODE_METRIC, NODE_METRICS_NAMESPACE, NODE_METRIC_DIMENSIONS } from './node-metrics';

export interface CockroachDashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly instanceIds: readonly string[];
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /** ARNs of the cluster's alarms (an alarm-status widget). */
  readonly alarmArns: readonly string[];
}

/**
 * One CloudWatch dashboard for the cluster: alarm states, healthy and unhealthy SQL targets,
 * active connections, each node's CPU, data volume free space and certificate days to expiry.
 */
export class CockroachDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: CockroachDashboardProps) {
    super(scope, id);
    const targets = ['TargetGroup', props.targetGroupArnSuffix, 'LoadBalancer', props.loadBalancerArnSuffix];
    const nodes = props.instanceIds.map((_, i) => `node-${i + 1}`);
    const nodeMetric = (metric: string) => nodes.map((node) => [NODE_METRICS_NAMESPACE, metric, NODE_METRIC_DIMENSIONS.cluster, props.namePrefix, NODE_METRIC_DIMENSIONS.node, node]);
    const graph = (x: number, y: number, title: string, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
      type: 'metric',
      x,
      y,
      width: 12,
      height: 6,
      properties: { title, region: props.region, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra },
    });
    const widgets = [
      { type: 'alarm', x: 0, y: 0, width: 24, height: 4, properties: { title: 'CockroachDB alarms', alarms: props.alarmArns } },
      graph(0, 4, 'SQL load balancer targets', [
        ['AWS/NetworkELB', 'HealthyHostCount', ...targets, { stat: 'Minimum', label: 'healthy' }],
        ['AWS/NetworkELB', 'UnHealthyHostCount', ...targets, { stat: 'Maximum', label: 'unhealthy' }],
      ], { period: 60 }),
      graph(12, 4, 'SQL connections through the load balancer', [['AWS/NetworkELB', 'ActiveFlowCount', 'LoadBalancer', props.loadBalancerArnSuffix, { stat: 'Average' }]]),
      graph(0, 10, 'Node CPU (%)', props.instanceIds.map((instanceId, i) => ['AWS/EC2', 'CPUUtilization', 'InstanceId', instanceId, { label: nodes[i] }])),
      graph(12, 10, 'Data volume free space (%)', nodeMetric(NODE_METRIC.dataVolumeFreePercent), { yAxis: { left: { min: 0, max: 100 } } }),
      graph(0, 16, 'Certificate days to expiry (first to expire)', nodeMetric(NODE_METRIC.certificateDaysToExpiry), { stat: 'Minimum', period: 3600 }),
      graph(12, 16, 'EC2 status checks failed', props.instanceIds.map((instanceId, i) => ['AWS/EC2', 'StatusCheckFailed', 'InstanceId', instanceId, { stat: 'Maximum', label: nodes[i] }]), { period: 60 }),
    ];
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', { dashboardName: props.dashboardName, dashboardBody: Fn.jsonencode({ widgets }) });
  }
}

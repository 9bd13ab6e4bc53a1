import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { ProductAlarm } from '@crdb-ory/core';
import { Construct } from 'constructs';

export interface EksNodeGroupAlarmsProps {
  readonly nodeGroup: EksNodeGroup;
  readonly alarmName: string;
  /** The network stack's alarm topic. */
  readonly topicArn: string;
}

/**
 * EKS managed node groups publish no CloudWatch metric of their own, and the Auto Scaling group
 * EKS creates has group metrics off (and is not ours to change). What every node does publish,
 * free and per minute, are the EC2 status checks, which CloudWatch also aggregates by the
 * instances' `AutoScalingGroupName`: this alarm fires when any node of the group fails one
 * (its instance or its host is impaired). A node that runs but is NotReady in Kubernetes is not
 * covered: that needs Container Insights (kube-state metrics), an opt-in cost this stack leaves
 * out.
 */
export class EksNodeGroupAlarms extends Construct {
  readonly statusCheck: ProductAlarm;

  constructor(scope: Construct, id: string, props: EksNodeGroupAlarmsProps) {
    super(scope, id);
    const autoScalingGroup = props.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    this.statusCheck = new ProductAlarm(this, 'status-check', {
      alarmName: props.alarmName,
      topicArn: props.topicArn,
      summary: 'A node of the EKS node group that runs Hydra, Kratos and Keto fails its EC2 status checks for 3 minutes.',
      runbookAnchor: 'alarm-eks-node-status-check',
      namespace: 'AWS/EC2',
      metricName: 'StatusCheckFailed',
      dimensions: { AutoScalingGroupName: autoScalingGroup },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 3,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treatMissingData: 'missing',
    });
  }
}

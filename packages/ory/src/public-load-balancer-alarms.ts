import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { ProductAlarm } from '@crdb-ory/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Name of the alarm that fires when a public Ory service has no healthy pod behind the public
 * load balancer (every target group of the ALB): also what `OryPublicFailover`'s health check of
 * that region watches. Alarm names are per account and region.
 */
export function oryPublicNoHealthyTargetsAlarmName(namePrefix: string): string {
  return `${namePrefix}-ory-public-no-healthy-targets`;
}

/** The Ingress group of Ory's public Ingresses: every Ingress of the group shares one ALB. */
export function oryIngressGroupName(namePrefix: string): string {
  return `${namePrefix}-ory`;
}

/**
 * The tags the AWS Load Balancer Controller writes on the ALB of an Ingress group
 * (`elbv2.k8s.aws/cluster`, `ingress.k8s.aws/stack`): how a stack finds that ALB, which the
 * controller, not Terraform, creates.
 */
export function publicLoadBalancerTags(clusterName: string, ingressGroupName: string): Record<string, string> {
  return { 'elbv2.k8s.aws/cluster': clusterName, 'ingress.k8s.aws/stack': ingressGroupName };
}

export interface PublicLoadBalancerAlarmsProps {
  /** Prefix of the alarm names. */
  readonly namePrefix: string;
  /** The network stack's alarm topic. */
  readonly topicArn: string;
  /** The EKS cluster and the Ingress group: the AWS Load Balancer Controller tags the ALB with both. */
  readonly clusterName: string;
  readonly ingressGroupName: string;
  /** The Ingresses that make the controller create the ALB (they wait for it: wait_for_load_balancer). */
  readonly ingresses: readonly ITerraformDependable[];
}

/**
 * Alarms on the target health of Ory's public ALB. The ALB is created by the AWS Load Balancer
 * Controller from the Ingresses, so its ARN is unknown when the stack is planned for the first
 * time. The stack therefore reads it (`data "aws_lb"` by the tags the controller writes,
 * `elbv2.k8s.aws/cluster` and `ingress.k8s.aws/stack`) after the Ingresses, which wait until it
 * exists; on the first apply the read happens at apply time, later at plan time. The target
 * groups (one per public service, also named by the controller) are covered without naming them:
 * each alarm is a CloudWatch Metrics Insights query over every target group of that ALB.
 */
export class PublicLoadBalancerAlarms extends Construct {
  readonly loadBalancer: DataAwsLb;
  readonly alarms: ProductAlarm[];

  constructor(scope: Construct, id: string, props: PublicLoadBalancerAlarmsProps) {
    super(scope, id);
    this.loadBalancer = new DataAwsLb(this, 'alb', {
      tags: publicLoadBalancerTags(props.clusterName, props.ingressGroupName),
      dependsOn: [...props.ingresses],
    });
    const query = (aggregate: string): string =>
      `SELECT ${aggregate} FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) WHERE LoadBalancer = '${this.loadBalancer.arnSuffix}'`;
    this.alarms = [
      new ProductAlarm(this, 'unhealthy-targets', {
        alarmName: `${props.namePrefix}-ory-public-unhealthy-targets`,
        topicArn: props.topicArn,
        summary: "A pod behind Ory's public load balancer (Hydra or Kratos public API) fails its health check (/health/ready) for 3 minutes.",
        runbookAnchor: 'alarm-ory-public-unhealthy-targets',
        metricQuery: [{ id: 'unhealthy', expression: query('MAX(UnHealthyHostCount)'), period: 60, returnData: true }],
        evaluationPeriods: 3,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'missing',
      }),
      new ProductAlarm(this, 'no-healthy-targets', {
        alarmName: oryPublicNoHealthyTargetsAlarmName(props.namePrefix),
        topicArn: props.topicArn,
        summary: "A public Ory service has no healthy pod behind the public load balancer for 3 minutes: its users get 503.",
        runbookAnchor: 'alarm-ory-public-no-healthy-targets',
        metricQuery: [{ id: 'healthy', expression: query('MIN(HealthyHostCount)'), period: 60, returnData: true }],
        evaluationPeriods: 3,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        treatMissingData: 'breaching',
      }),
    ];
  }
}

import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';

/** The readiness endpoint: answers 200 over plain HTTP, even on a secure cluster, once the node accepts SQL. */
export const HEALTH_CHECK_PATH = '/health?ready=1';

export interface SqlLoadBalancerProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly privateZoneId: string;
  /** The stable name in every node certificate (`sql.<zone>`). */
  readonly dnsName: string;
  /** Seconds the NLB keeps connections to a deregistering node while it drains. */
  readonly deregistrationDelaySeconds: number;
  /**
   * Seconds the NLB keeps the established connections of a node that turned unhealthy (a draining
   * node answers 503): by default it resets them at once, which would cut clients' pooled
   * connections before the drain's connection phase lets them close.
   */
  readonly unhealthyDrainingIntervalSeconds: number;
  readonly deletionProtection: boolean;
  /** Created after these (the node IP reservations, so its network interfaces never take a node's IP). */
  readonly createdAfter?: ITerraformDependable[];
}

/**
 * The internal Network Load Balancer in front of the nodes: TCP 26257 across the three AZs
 * with cross-zone load balancing (one node per AZ), the readiness check on 8080, and an alias
 * record under the name the certificates carry.
 */
export class SqlLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly record: Route53Record;

  constructor(scope: Construct, id: string, props: SqlLoadBalancerProps) {
    super(scope, id);
    this.loadBalancer = new Lb(this, 'nlb', {
      name: `${props.namePrefix}-sql`,
      internal: true,
      loadBalancerType: 'network',
      subnets: props.subnetIds,
      securityGroups: [props.securityGroupId],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: props.deletionProtection,
      dependsOn: props.createdAfter,
    });
    this.targetGroup = new LbTargetGroup(this, 'nodes', {
      name: `${props.namePrefix}-sql-nodes`,
      port: SQL_PORT,
      protocol: 'TCP',
      targetType: 'instance',
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds),
      healthCheck: {
        protocol: 'HTTP',
        port: String(HTTP_PORT),
        path: HEALTH_CHECK_PATH,
        matcher: '200',
        interval: 10,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      // "Unhealthy target connection termination" (NLB target group health docs): keep a draining node's connections.
      targetHealthState: [{ enableUnhealthyConnectionTermination: false, unhealthyDrainingInterval: props.unhealthyDrainingIntervalSeconds }],
    });
    new LbListener(this, 'sql', {
      loadBalancerArn: this.loadBalancer.arn,
      port: SQL_PORT,
      protocol: 'TCP',
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
    });
    this.record = new Route53Record(this, 'alias', {
      zoneId: props.privateZoneId,
      name: props.dnsName,
      type: 'A',
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });
  }
}

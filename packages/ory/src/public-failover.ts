import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { PropProblem, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { DEFAULT_ORY_NAMESPACE } from './ory-stack';
import { resolveOryEndpoints } from './ory-endpoints';
import { oryPublicNoHealthyTargetsAlarmName } from './public-load-balancer-alarms';

/**
 * How Route 53 answers for Ory's public names across regions:
 * - `failover` (the default): every user goes to the primary region while its health check
 *   passes, to the secondary when it fails (Route 53 failover routing: one PRIMARY and one
 *   SECONDARY record per name). Other regions serve no public traffic; they keep a full copy of the
 *   data and can be promoted by reordering `regions`.
 * - `latency`: each user goes to the healthy region with the lowest latency to them (latency
 *   routing, one record per region). The trade-off: Ory's tables stay REGIONAL BY TABLE in the
 *   primary region (open-source Ory cannot use REGIONAL BY ROW), so every read and write of a
 *   login or token request served in another region goes to the primary region's leaseholders: a
 *   cross-region round trip (tens of milliseconds between US regions) per SQL statement, several per
 *   login. Lower latency to the load balancer, higher latency per request, unless most users sit
 *   next to the primary region anyway. Opt in only after measuring.
 */
export type OryPublicRouting = 'failover' | 'latency';

/** One region's public entry point. */
export interface OryPublicRegion {
  /** The AWS region. */
  readonly region: string;
  /**
   * DNS name of the region's public ALB. Read it where no secret is (`OryPublicDnsStack` reads the
   * ALB by the controller's tags in its region), not from the Ory stack's remote state, which holds
   * that stack's Kubernetes Secrets.
   */
  readonly loadBalancerHostname: string;
  /**
   * The CloudWatch alarm (in `region`) the region's health check follows.
   * @default that region's Ory stack's "no healthy targets" alarm, `<namePrefix>-ory-public-no-healthy-targets`
   */
  readonly healthAlarmName?: string;
}

export interface OryPublicFailoverProps {
  /** The public Route 53 zone's domain, the same `domain` every region's Ory stack has (its stacks then set `publicDnsRecords: false`). */
  readonly domain: string;
  /** Prefix of the health checks' names (tag `Name`) and of the default alarm names. */
  readonly namePrefix: string;
  /** The regions with a public load balancer, the primary first, then the secondary (failover uses these two). At least two. */
  readonly regions: readonly OryPublicRegion[];
  /** @default 'failover' (see `OryPublicRouting` for the latency trade-off) */
  readonly routing?: OryPublicRouting;
  /** Route `keto.<domain>` too (the regions' stacks have `exposeKetoReadApi`). @default false */
  readonly exposeKetoReadApi?: boolean;
  /** TTL of the records in seconds: how long resolvers keep sending users to a region that failed. @default 60 */
  readonly ttl?: number;
}

/**
 * Route 53 records for Ory's public names (`hydra.<domain>`, `kratos.<domain>`, optionally
 * `keto.<domain>`) that send users to a healthy region, with one health check per region.
 *
 * The health check of a region follows that region's "no healthy targets" alarm (type
 * `CLOUDWATCH_METRIC`: `cloudwatch_alarm_name`, `cloudwatch_alarm_region`, hashicorp/aws 5.100.0
 * `aws_route53_health_check`), which covers every public service behind the ALB; an HTTPS check
 * of the ALB itself would be answered by no Ory service, because the ALB routes by host name and
 * Route 53 sends the checked name as the Host header. No data (a deleted region, an alarm not yet
 * evaluated) counts as unhealthy. The records (`aws_route53_record` with `set_identifier`,
 * `health_check_id` and a `failover_routing_policy` or `latency_routing_policy` block) are CNAMEs
 * to the ALBs, like the single-region stack's. Lives in a stack in the primary region
 * (`OryPublicDnsStack`), deployed after the regions' Ory stacks; Route 53 is global.
 */
export class OryPublicFailover extends Construct {
  readonly zone: DataAwsRoute53Zone;
  /** By region. */
  readonly healthChecks: Record<string, Route53HealthCheck>;
  readonly records: Route53Record[];

  constructor(scope: Construct, id: string, props: OryPublicFailoverProps) {
    super(scope, id);
    throwIfProblems(this, oryPublicFailoverProblems(props));
    const routing = props.routing ?? 'failover';
    this.zone = new DataAwsRoute53Zone(this, 'zone', { name: props.domain, privateZone: false });
    const routed = routing === 'failover' ? props.regions.slice(0, 2) : props.regions;
    this.healthChecks = Object.fromEntries(
      routed.map((region) => [
        region.region,
        new Route53HealthCheck(this, `health-${region.region}`, {
          type: 'CLOUDWATCH_METRIC',
          cloudwatchAlarmName: region.healthAlarmName ?? oryPublicNoHealthyTargetsAlarmName(props.namePrefix),
          cloudwatchAlarmRegion: region.region,
          insufficientDataHealthStatus: 'Unhealthy',
          tags: { Name: `${props.namePrefix}-ory-public-${region.region}` },
        }),
      ]),
    );
    const hosts = resolveOryEndpoints({ domain: props.domain, namespace: DEFAULT_ORY_NAMESPACE, exposeKetoRead: props.exposeKetoReadApi ?? false })
      .publicEndpoints.flatMap((endpoint) => (endpoint.host ? [endpoint.host] : []));
    this.records = hosts.flatMap((host) =>
      routed.map((region, i) => {
        const role = i === 0 ? 'PRIMARY' : 'SECONDARY';
        return new Route53Record(this, `${host.split('.')[0]}-${region.region}`, {
          zoneId: this.zone.zoneId,
          name: host,
          type: 'CNAME',
          ttl: props.ttl ?? DEFAULT_PUBLIC_RECORD_TTL,
          records: [region.loadBalancerHostname],
          setIdentifier: routing === 'failover' ? `${region.region}-${role.toLowerCase()}` : region.region,
          healthCheckId: this.healthChecks[region.region]?.id,
          ...(routing === 'failover' ? { failoverRoutingPolicy: { type: role } } : { latencyRoutingPolicy: { region: region.region } }),
        });
      }),
    );
  }
}

/** TTL of the public records: a minute of stale answers after a failover. */
export const DEFAULT_PUBLIC_RECORD_TTL = 60;

/** At least two regions, none twice; a TTL Route 53 accepts. */
export function oryPublicFailoverProblems(props: Pick<OryPublicFailoverProps, 'regions' | 'ttl' | 'routing'>): PropProblem[] {
  const problems: PropProblem[] = [];
  const regions = props.regions.map((r) => r.region);
  if (regions.length < 2) problems.push({ prop: 'regions', value: regions, message: 'must list at least two regions (the primary first, then the secondary)' });
  if (new Set(regions).size !== regions.length) problems.push({ prop: 'regions', value: regions, message: 'must not repeat a region' });
  if (props.routing !== undefined && !['failover', 'latency'].includes(props.routing)) problems.push({ prop: 'routing', value: props.routing, message: "must be 'failover' or 'latency'" });
  if (props.ttl !== undefined && !(Number.isInteger(props.ttl) && props.ttl >= 0 && props.ttl <= 2147483647)) problems.push({ prop: 'ttl', value: props.ttl, message: 'must be whole seconds from 0' });
  return problems;
}

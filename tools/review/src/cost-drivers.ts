import type { SynthesizedStackJson } from '@crdb-ory/core';
import { StackDocument, firstBlock, isObject, show } from '@crdb-ory/policy';
import type { ResourceEntry } from '@crdb-ory/policy';

/** One thing the stacks create that costs money by the hour or by the month, counted from the synthesized JSON. */
export interface CostDriver {
  readonly item: string;
  readonly count: number;
  /** What sets its price (`3 x m6i.2xlarge`, `3 x 100 GiB gp3, 3000 IOPS`). */
  readonly detail: string;
  readonly stacks: readonly string[];
}

type Stacks = ReadonlyArray<{ readonly name: string; readonly json: SynthesizedStackJson }>;

interface Counted {
  readonly stackName: string;
  readonly count: number;
  /** Groups with the same key are summed in the detail (`3 x m6i.2xlarge`). */
  readonly key: string;
}

interface Driver {
  readonly item: string;
  readonly count: (stack: StackDocument) => Counted[];
}

/** One per resource of `type`, grouped by `key`. */
const each = (type: string, key: (entry: ResourceEntry) => string = () => ''): Driver['count'] => (stack) => stack.resources(type).map((entry) => ({ stackName: stack.stackName, count: 1, key: key(entry) }));

const text = (value: unknown) => (value === undefined ? '' : show(value));

/**
 * What the monthly bill of these stacks is made of, in the order a reviewer weighs it: what runs
 * by the hour (NAT gateways and their addresses, instances, EKS, load balancers, interface
 * endpoints), then what is billed per unit (volumes, keys, secrets, alarms, logs, buckets, zones).
 * Counts only; prices are in docs/cost.md.
 */
const DRIVERS: readonly Driver[] = [
  { item: 'NAT gateways', count: each('aws_nat_gateway') },
  { item: 'Elastic IPs', count: each('aws_eip') },
  { item: 'EC2 instances', count: each('aws_instance', (e) => text(e.config['instance_type'])) },
  {
    item: 'EKS nodes (desired)',
    count: (stack) =>
      stack.resources('aws_eks_node_group').map((group) => {
        const scaling = firstBlock(group.config['scaling_config']) ?? {};
        const types = Array.isArray(group.config['instance_types']) ? group.config['instance_types'].map(text).join('/') : text(group.config['instance_types']);
        const desired = typeof scaling['desired_size'] === 'number' ? scaling['desired_size'] : 0;
        return { stackName: stack.stackName, count: desired, key: `${types} (min ${text(scaling['min_size'])}, max ${text(scaling['max_size'])})` };
      }),
  },
  { item: 'EKS clusters', count: each('aws_eks_cluster', (e) => `${text(firstBlock(e.config['upgrade_policy'])?.['support_type'] ?? 'STANDARD')} support`) },
  {
    item: 'Load balancers',
    count: (stack) => [
      ...stack.resources('aws_lb').map((lb) => ({ stackName: stack.stackName, count: 1, key: `${text(lb.config['load_balancer_type'] ?? 'application')}${lb.config['internal'] === true ? ', internal' : ', internet-facing'}` })),
      // The AWS Load Balancer Controller creates one ALB per Ingress group.
      ...[...new Set(stack.resources('kubernetes_ingress_v1', 'kubernetes_ingress').map((ingress) => ingressGroup(ingress)).filter((group): group is string => group !== undefined))].map(() => ({ stackName: stack.stackName, count: 1, key: 'application, created by the AWS Load Balancer Controller' })),
    ],
  },
  {
    item: 'VPC interface endpoints (per AZ)',
    count: (stack) =>
      stack
        .resources('aws_vpc_endpoint')
        .filter((endpoint) => endpoint.config['vpc_endpoint_type'] === 'Interface')
        .map((endpoint) => ({ stackName: stack.stackName, count: Array.isArray(endpoint.config['subnet_ids']) ? endpoint.config['subnet_ids'].length : 1, key: serviceName(endpoint.config['service_name']) })),
  },
  {
    item: 'EBS volumes',
    count: each('aws_ebs_volume', (e) => `${text(e.config['size'])} GiB ${text(e.config['type'] ?? 'gp2')}${e.config['iops'] !== undefined ? `, ${text(e.config['iops'])} IOPS` : ''}${e.config['throughput'] !== undefined ? `, ${text(e.config['throughput'])} MiB/s` : ''}`),
  },
  { item: 'KMS keys', count: each('aws_kms_key') },
  { item: 'Secrets Manager secrets', count: each('aws_secretsmanager_secret') },
  { item: 'CloudWatch alarms', count: each('aws_cloudwatch_metric_alarm') },
  { item: 'CloudWatch dashboards', count: each('aws_cloudwatch_dashboard') },
  { item: 'CloudWatch log groups', count: each('aws_cloudwatch_log_group', (e) => (e.config['retention_in_days'] !== undefined ? `kept ${text(e.config['retention_in_days'])} days` : 'kept forever')) },
  { item: 'VPC flow logs', count: each('aws_flow_log') },
  { item: 'S3 buckets', count: each('aws_s3_bucket') },
  { item: 'Route 53 hosted zones', count: each('aws_route53_zone') },
];

function ingressGroup(ingress: ResourceEntry): string | undefined {
  const metadata = firstBlock(ingress.config['metadata']);
  const notes = isObject(metadata?.['annotations']) ? metadata['annotations'] : {};
  if (notes['alb.ingress.kubernetes.io/scheme'] === undefined && firstBlock(ingress.config['spec'])?.['ingress_class_name'] !== 'alb') return undefined;
  return String(notes['alb.ingress.kubernetes.io/group.name'] ?? ingress.address);
}

/** `com.amazonaws.us-east-1.ssm` -> `ssm` (the name of an interface endpoint's service). */
function serviceName(value: unknown): string {
  const name = text(value);
  return /\.([a-z0-9-]+)\}?$/.exec(name)?.[1] ?? name;
}

/** Every cost driver the stacks have (none with a count of zero), with its count, detail and stacks. */
export function costDrivers(stacks: Stacks): CostDriver[] {
  const documents = stacks.map((stack) => new StackDocument(stack.name, stack.json));
  return DRIVERS.flatMap((driver) => {
    const counted = documents.flatMap((document) => driver.count(document)).filter((c) => c.count > 0);
    const count = counted.reduce((sum, c) => sum + c.count, 0);
    if (count === 0) return [];
    const byKey = new Map<string, number>();
    for (const c of counted) byKey.set(c.key, (byKey.get(c.key) ?? 0) + c.count);
    const detail = [...byKey].filter(([key]) => key !== '').map(([key, n]) => `${n} x ${key}`).join('; ');
    return [{ item: driver.item, count, detail, stacks: [...new Set(counted.map((c) => c.stackName))] }];
  });
}

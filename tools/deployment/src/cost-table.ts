/**
 * The monthly cost tables in the docs (docs/cost.md for one region, docs/multi-region.md for
 * several), read and checked against what an app synthesizes: each row's quantity is counted from
 * the synthesized resources, each row multiplied out, the total added up. The tables are the
 * documentation; this module is what keeps them true.
 */

/** Every synthesized resource of a Terraform type, over all stacks of the deployment. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON: each quantity rule reads the arguments of its own resource type, as the provider's schema has them
export type ResourcesOfType = (type: string) => ReadonlyArray<Record<string, any>>;

/** One row: `| line item | quantity | hours | USD per unit | USD per month |`. */
export interface CostRow {
  readonly item: string;
  readonly quantity: number;
  /** Empty for items billed per month. */
  readonly hours: number | undefined;
  readonly unitPrice: number;
  readonly monthly: number;
}

/** The first cost table in `markdown` at or after `from` (a heading or any text), and its total. */
export function readCostTable(markdown: string, from = ''): { rows: CostRow[]; total: number } {
  const start = markdown.indexOf('| line item |', Math.max(0, markdown.indexOf(from)));
  if (start < 0) throw new Error(`no cost table ("| line item |") after "${from}"`);
  const end = markdown.indexOf('**total**', start);
  const rows = markdown
    .slice(start, end)
    .split('\n')
    .slice(2)
    .filter((line) => /^\|[^|]+\|/.test(line) && !line.startsWith('| |'))
    .map((line) => {
      const [item = '', quantity = '', hours = '', unitPrice = '', monthly = ''] = line.split('|').slice(1, -1).map((cell) => cell.trim());
      return { item, quantity: Number(quantity), hours: hours === '' ? undefined : Number(hours), unitPrice: Number(unitPrice), monthly: Number(monthly) };
    });
  const total = Number(/\*\*total\*\* \| \| \| \| \*\*([\d.]+)\*\*/.exec(markdown.slice(end - 1))?.[1]);
  return { rows, total };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * gp3 volumes: the data volumes, the nodes' root volumes (gp3 defaults), and the EKS nodes' root
 * volumes (the launch template's size times the node groups' desired size; every region's
 * template has the same size, or the count is ambiguous and refused).
 */
function gp3Volumes(resources: ResourcesOfType): Array<{ size: number; iops: number; throughput: number }> {
  const templateSizes = [...new Set(resources('aws_launch_template').map((t) => Number(t.block_device_mappings[0].ebs.volume_size)))];
  if (templateSizes.length > 1) throw new Error(`EKS launch templates of different root volume sizes (${templateSizes.join(', ')} GB): count them per stack`);
  const eksNodes = sum(resources('aws_eks_node_group').map((g) => g.scaling_config.desired_size));
  return [
    ...resources('aws_ebs_volume').map((v) => ({ size: v.size, iops: v.iops, throughput: v.throughput })),
    ...resources('aws_instance').map((i) => ({ size: i.root_block_device.volume_size ?? i.root_block_device[0].volume_size, iops: 3000, throughput: 125 })),
    ...templateSizes.map((size) => ({ size: size * eksNodes, iops: 3000, throughput: 125 })),
  ];
}

/**
 * What each kind of line item counts in the synthesized resources. The docs' row labels differ
 * (they say "3 × 500" or "9 × 500"); each spec maps its labels to these.
 */
export const COST_QUANTITIES = {
  natGatewayHours: (r: ResourcesOfType) => r('aws_nat_gateway').length,
  publicIpv4Addresses: (r: ResourcesOfType) => r('aws_eip').length,
  interfaceEndpointHours: (r: ResourcesOfType) => sum(r('aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface').map((e) => e.subnet_ids.length)),
  gatewayEndpoints: (r: ResourcesOfType) => r('aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Gateway').length,
  networkLoadBalancerHours: (r: ResourcesOfType) => r('aws_lb').filter((lb) => lb.load_balancer_type === 'network').length,
  cockroachNodeHours: (r: ResourcesOfType) => r('aws_instance').filter((i) => i.instance_type === 'm6i.2xlarge').length,
  eksNodeHours: (r: ResourcesOfType) => sum(r('aws_eks_node_group').filter((g) => g.instance_types.includes('m5.xlarge')).map((g) => g.scaling_config.desired_size)),
  gp3StorageGb: (r: ResourcesOfType) => sum(gp3Volumes(r).map((v) => v.size)),
  gp3IopsAbove3000: (r: ResourcesOfType) => sum(r('aws_ebs_volume').map((v) => v.iops - 3000)),
  gp3ThroughputAbove125: (r: ResourcesOfType) => sum(r('aws_ebs_volume').map((v) => v.throughput - 125)),
  eksControlPlaneHours: (r: ResourcesOfType) => r('aws_eks_cluster').length,
  kmsKeys: (r: ResourcesOfType) => r('aws_kms_key').length,
  /** Secrets Manager bills a replica as a secret of its own. */
  secrets: (r: ResourcesOfType) => r('aws_secretsmanager_secret').length,
  secretReplicas: (r: ResourcesOfType) => sum(r('aws_secretsmanager_secret').map((s) => (Array.isArray(s.replica) ? s.replica.length : s.replica ? 1 : 0))),
  alarms: (r: ResourcesOfType) => r('aws_cloudwatch_metric_alarm').length,
  dashboards: (r: ResourcesOfType) => r('aws_cloudwatch_dashboard').length,
  hostedZones: (r: ResourcesOfType) => r('aws_route53_zone').length,
  healthChecks: (r: ResourcesOfType) => r('aws_route53_health_check').length,
} as const;

export type CostQuantity = keyof typeof COST_QUANTITIES;

/**
 * What is wrong with a cost table: a row without a quantity rule or a rule without a row, a
 * quantity that is not what the synthesis holds, a row not multiplied out, a wrong total.
 * `quantityOf` maps each row label to its kind.
 */
export function costTableProblems(table: { rows: readonly CostRow[]; total: number }, quantityOf: Readonly<Record<string, CostQuantity>>, resources: ResourcesOfType): string[] {
  const problems: string[] = [];
  const labels = table.rows.map((row) => row.item);
  for (const label of labels) if (!(label in quantityOf)) problems.push(`row "${label}" has no quantity rule`);
  for (const label of Object.keys(quantityOf)) if (!labels.includes(label)) problems.push(`no row "${label}"`);
  for (const row of table.rows) {
    const kind = quantityOf[row.item];
    if (kind !== undefined) {
      const counted = COST_QUANTITIES[kind](resources);
      if (counted !== row.quantity) problems.push(`"${row.item}": the table says ${row.quantity}, the synthesized stacks hold ${counted}`);
    }
    const expected = row.quantity * (row.hours ?? 1) * row.unitPrice;
    if (Math.abs(expected - row.monthly) > 0.0051) problems.push(`"${row.item}": ${row.quantity} × ${row.hours ?? 1} × ${row.unitPrice} is ${expected.toFixed(2)}, not ${row.monthly}`);
  }
  const total = sum(table.rows.map((row) => row.monthly));
  if (!(Math.abs(total - table.total) < 0.005)) problems.push(`the rows add up to ${total.toFixed(2)}, not ${table.total}`);
  return problems;
}

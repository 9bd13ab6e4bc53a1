import { Template } from '@crdb-ory/core/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, stackJson, synthesizeTo } from './helpers';

/** docs/cost.md's table of the defaults, kept in step with what the stacks synthesize. */
const outdir = synthesizeTo();
const STACKS = ['state', 'network', 'cockroach-pki', 'cockroach-backup', 'cockroach', 'eks', 'ory'];
/** Every resource of `type` in the synthesized stacks. */
const resources = (type: string): any[] => STACKS.flatMap((stack) => Template.fromJSON(stackJson(outdir, stack)).all(type));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const gp3Volumes = () => [
  ...resources('aws_ebs_volume').map((v) => ({ size: v.size, iops: v.iops, throughput: v.throughput })),
  ...resources('aws_instance').map((i) => ({ size: (i.root_block_device.volume_size ?? i.root_block_device[0].volume_size), iops: 3000, throughput: 125 })),
  ...resources('aws_launch_template').map((t) => ({ size: t.block_device_mappings[0].ebs.volume_size * resources('aws_eks_node_group')[0].scaling_config.desired_size, iops: 3000, throughput: 125 })),
];

/** What each row's quantity must be, from the synthesized defaults. */
const QUANTITY: Readonly<Record<string, () => number>> = {
  'NAT gateway hours': () => resources('aws_nat_gateway').length,
  'Public IPv4 addresses (the NAT gateways\' Elastic IPs)': () => resources('aws_eip').length,
  'Interface endpoint hours (per endpoint per AZ)': () => sum(resources('aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface').map((e) => e.subnet_ids.length)),
  'S3 gateway endpoints': () => resources('aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Gateway').length,
  'Network Load Balancer hours (CockroachDB SQL)': () => resources('aws_lb').filter((lb) => lb.load_balancer_type === 'network').length,
  'EC2 m6i.2xlarge (CockroachDB nodes)': () => resources('aws_instance').filter((i) => i.instance_type === 'm6i.2xlarge').length,
  'EC2 m5.xlarge (EKS nodes, desired size)': () => sum(resources('aws_eks_node_group').filter((g) => g.instance_types.includes('m5.xlarge')).map((g) => g.scaling_config.desired_size)),
  'EBS gp3 storage, GB (data 3 × 500, roots 3 × 20 and 3 × 50)': () => sum(gp3Volumes().map((v) => v.size)),
  'EBS gp3 IOPS above 3,000 (3 data volumes × 3,000)': () => sum(resources('aws_ebs_volume').map((v) => v.iops - 3000)),
  'EBS gp3 throughput above 125 MiB/s (3 data volumes × 125)': () => sum(resources('aws_ebs_volume').map((v) => v.throughput - 125)),
  'EKS control plane hours (standard support)': () => resources('aws_eks_cluster').length,
  'KMS customer managed keys': () => resources('aws_kms_key').length,
  'Secrets Manager secrets': () => resources('aws_secretsmanager_secret').length,
  'CloudWatch standard alarms': () => resources('aws_cloudwatch_metric_alarm').length,
  'CloudWatch dashboards': () => resources('aws_cloudwatch_dashboard').length,
  'Route 53 hosted zones (private)': () => resources('aws_route53_zone').length,
};

interface Row {
  readonly item: string;
  readonly quantity: number;
  readonly hours: number | undefined;
  readonly unitPrice: number;
  readonly monthly: number;
}

function costRows(): { rows: Row[]; total: number } {
  const doc = readFileSync(join(WORKSPACE_ROOT, 'docs', 'cost.md'), 'utf8');
  const table = doc.slice(doc.indexOf('| line item |'), doc.indexOf('**total**'));
  const rows = table
    .split('\n')
    .slice(2)
    .filter((line) => /^\|[^|]+\|/.test(line) && !line.startsWith('| |'))
    .map((line) => {
      const [item = '', quantity = '', hours = '', unitPrice = '', monthly = ''] = line.split('|').slice(1, -1).map((cell) => cell.trim());
      return { item, quantity: Number(quantity), hours: hours === '' ? undefined : Number(hours), unitPrice: Number(unitPrice), monthly: Number(monthly) };
    });
  const total = Number(/\*\*total\*\* \| \| \| \| \*\*([\d.]+)\*\*/.exec(doc)?.[1]);
  return { rows, total };
}

describe('docs/cost.md', () => {
  const { rows, total } = costRows();

  it('has a row for every line item, and no other', () => {
    expect(rows.map((row) => row.item).sort()).toEqual(Object.keys(QUANTITY).sort());
  });

  it.each(Object.keys(QUANTITY))('counts "%s" as the synthesized defaults do', (item) => {
    expect(rows.find((row) => row.item === item)?.quantity).toBe(QUANTITY[item]());
  });

  it('multiplies each row out and adds them up', () => {
    for (const row of rows) expect(row.monthly, row.item).toBeCloseTo(row.quantity * (row.hours ?? 1) * row.unitPrice, 2);
    expect(total).toBeCloseTo(sum(rows.map((row) => row.monthly)), 2);
  });
});

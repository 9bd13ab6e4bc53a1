import { COST_QUANTITIES, CostQuantity, readCostTable } from '@crdb-ory/deployment';
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

/** What each row counts in the synthesized defaults (tools/deployment/src/cost-table.ts). */
const QUANTITY: Readonly<Record<string, CostQuantity>> = {
  'NAT gateway hours': 'natGatewayHours',
  'Public IPv4 addresses (the NAT gateways\' Elastic IPs)': 'publicIpv4Addresses',
  'Interface endpoint hours (per endpoint per AZ)': 'interfaceEndpointHours',
  'S3 gateway endpoints': 'gatewayEndpoints',
  'Network Load Balancer hours (CockroachDB SQL)': 'networkLoadBalancerHours',
  'EC2 m6i.2xlarge (CockroachDB nodes)': 'cockroachNodeHours',
  'EC2 m5.xlarge (EKS nodes, desired size)': 'eksNodeHours',
  'EBS gp3 storage, GB (data 3 × 500, roots 3 × 20 and 3 × 50)': 'gp3StorageGb',
  'EBS gp3 IOPS above 3,000 (3 data volumes × 3,000)': 'gp3IopsAbove3000',
  'EBS gp3 throughput above 125 MiB/s (3 data volumes × 125)': 'gp3ThroughputAbove125',
  'EKS control plane hours (standard support)': 'eksControlPlaneHours',
  'KMS customer managed keys': 'kmsKeys',
  'Secrets Manager secrets': 'secrets',
  'CloudWatch standard alarms': 'alarms',
  'CloudWatch dashboards': 'dashboards',
  'Route 53 hosted zones (private)': 'hostedZones',
};

describe('docs/cost.md', () => {
  const { rows, total } = readCostTable(readFileSync(join(WORKSPACE_ROOT, 'docs', 'cost.md'), 'utf8'));

  it('has a row for every line item, and no other', () => {
    expect(rows.map((row) => row.item).sort()).toEqual(Object.keys(QUANTITY).sort());
  });

  it.each(Object.keys(QUANTITY))('counts "%s" as the synthesized defaults do', (item) => {
    expect(rows.find((row) => row.item === item)?.quantity).toBe(COST_QUANTITIES[QUANTITY[item] as CostQuantity](resources));
  });

  it('multiplies each row out and adds them up', () => {
    for (const row of rows) expect(row.monthly, row.item).toBeCloseTo(row.quantity * (row.hours ?? 1) * row.unitPrice, 2);
    expect(total).toBeCloseTo(sum(rows.map((row) => row.monthly)), 2);
  });
});

import { Template } from '@crdb-ory/core/testing';
import { ELASTIC_IPS_QUOTA, INTERFACE_ENDPOINTS_PER_VPC_QUOTA, INTERNET_GATEWAYS_QUOTA, NAT_GATEWAYS_PER_AZ_QUOTA, ON_DEMAND_STANDARD_VCPUS_QUOTA, VPCS_QUOTA, ec2InstanceType } from '@crdb-ory/core';
import { nodeGroupUpdateSurge } from '@crdb-ory/eks';
import { assert, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config';
import { onDemandStandardVcpus } from '@crdb-ory/deployment';
import { stackJson, synthesizeTo } from './helpers';

/**
 * Issue 19: the defaults' first deploy in a fresh account. Counts the quota-bound resources the
 * synthesized defaults create and holds them under AWS's documented default quotas (the region's
 * default VPC, which every fresh account has, counts against the VPC quota).
 */
const outdir = synthesizeTo();
const network = stackJson(outdir, 'network');

/** The network resource of `type` that `expression` (a `${type.name.id}` reference) names; fails the test, naming the expression, when there is none. */
function referenced(type: string, expression: string): any {
  const name = new RegExp(`${type}\\.([^.]+)\\.id`).exec(expression)?.[1];
  const resource = name === undefined ? undefined : network.resource[type]?.[name];
  assert.exists(resource, `the ${type} that ${expression} references`);
  return resource;
}

/** The vCPUs of an EC2 instance type; fails the test when the EC2 facts lack the type. */
function vcpusOf(instanceType: string): number {
  const facts = ec2InstanceType(instanceType);
  assert.exists(facts, `the EC2 facts of ${instanceType}`);
  return facts.vcpus;
}

function natGatewaysPerAz(): Record<string, number> {
  const perAz: Record<string, number> = {};
  for (const nat of Template.fromJSON(network).all('aws_nat_gateway')) {
    const subnet = referenced('aws_subnet', nat.subnet_id);
    perAz[subnet.availability_zone] = (perAz[subnet.availability_zone] ?? 0) + 1;
  }
  return perAz;
}

describe('the defaults fit a fresh account', () => {
  it('allocate 4 Elastic IPs, under the default 5 (L-0263D0A3)', () => {
    Template.fromJSON(network).resourceCountIs('aws_eip', 4);
    expect(Template.fromJSON(network).all('aws_eip').length).toBeLessThanOrEqual(ELASTIC_IPS_QUOTA.defaultValue);
  });

  it('create 2 VPCs and 2 internet gateways: with the default VPC, 3 of the default 5 each (L-F678F1CE, L-A4707A72)', () => {
    Template.fromJSON(network).resourceCountIs('aws_vpc', 2);
    Template.fromJSON(network).resourceCountIs('aws_internet_gateway', 2);
    expect(Template.fromJSON(network).all('aws_vpc').length + 1).toBeLessThanOrEqual(VPCS_QUOTA.defaultValue);
    expect(Template.fromJSON(network).all('aws_internet_gateway').length + 1).toBeLessThanOrEqual(INTERNET_GATEWAYS_QUOTA.defaultValue);
  });

  it('put at most 2 NAT gateways in any zone, under the default 5 per zone (L-FE5A380F), and one in every zone of the Ory VPC', () => {
    expect(natGatewaysPerAz()).toEqual({ 'us-east-1a': 2, 'us-east-1b': 1, 'us-east-1c': 1 });
    expect(Math.max(...Object.values(natGatewaysPerAz()))).toBeLessThanOrEqual(NAT_GATEWAYS_PER_AZ_QUOTA.defaultValue);
  });

  it('route every Ory private subnet through the NAT gateway of its own zone, and keep the nodes\' AWS APIs in their zone through endpoints', () => {
    const subnets = network.resource.aws_subnet as Record<string, any>;
    const tables = network.resource.aws_route_table as Record<string, any>;
    const associations = Template.fromJSON(network).all('aws_route_table_association');
    const natRoutes = Template.fromJSON(network).all('aws_route').filter((r) => r.nat_gateway_id);
    const oryPrivate = Object.entries(subnets).filter(([, s]) => s.tags.Name.startsWith('crdb-ory-ory-private'));
    for (const [name, subnet] of oryPrivate) {
      const association = associations.find((a) => a.subnet_id === `\${aws_subnet.${name}.id}`);
      assert.exists(association, `the route table association of subnet ${name}`);
      const natRoute = natRoutes.find((r) => r.route_table_id === association.route_table_id);
      assert.exists(natRoute, `a NAT gateway route in ${association.route_table_id}`);
      const natSubnet = referenced('aws_subnet', referenced('aws_nat_gateway', natRoute.nat_gateway_id).subnet_id);
      expect(natSubnet.availability_zone).toBe(subnet.availability_zone);
    }
    expect(Object.keys(tables).length).toBeGreaterThan(0);
    const interfaces = Template.fromJSON(network).all('aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name.split('.').at(-1)).sort()).toEqual(['ec2messages', 'monitoring', 'secretsmanager', 'ssm', 'ssmmessages']);
    for (const endpoint of interfaces) expect(endpoint).toMatchObject({ private_dns_enabled: true, subnet_ids: expect.arrayContaining([expect.any(String)]) });
    expect(interfaces.length).toBeLessThanOrEqual(INTERFACE_ENDPOINTS_PER_VPC_QUOTA.defaultValue);
  });

  it('need 64 On-Demand standard vCPUs at peak: more than the documented default of L-1216C47A (5), which no three-node cluster fits', () => {
    const cockroach = Template.fromJSON(stackJson(outdir, 'cockroach')).all('aws_instance');
    const nodeGroup = Template.fromJSON(stackJson(outdir, 'eks')).only('aws_eks_node_group').config;
    const cockroachVcpus = cockroach.reduce((total, node) => total + vcpusOf(node.instance_type), 0);
    const eksPeak = vcpusOf(nodeGroup.instance_types[0]) * (nodeGroup.scaling_config.max_size + nodeGroupUpdateSurge(DEFAULT_CONFIG.availabilityZones.length));
    expect({ cockroachVcpus, eksPeak }).toEqual({ cockroachVcpus: 24, eksPeak: 40 });
    // What the plan-time checks of the cockroach and eks stacks count: the same figures.
    expect(onDemandStandardVcpus(DEFAULT_CONFIG)).toEqual({ cockroach: cockroachVcpus, eks: eksPeak });
    expect(ON_DEMAND_STANDARD_VCPUS_QUOTA.defaultValue).toBe(5);
    expect(cockroachVcpus + eksPeak).toBeGreaterThan(ON_DEMAND_STANDARD_VCPUS_QUOTA.defaultValue);
  });
});

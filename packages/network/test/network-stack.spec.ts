import { terraformOutputName } from '@crdb-ory/core';
import { assert, describe, expect, it } from 'vitest';
import { NETWORK_OUTPUTS } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { ref, synthNetwork } from './fixtures';

const json = synthNetwork();

function vpcNamed(name: string, source = json): string {
  const found = Object.entries(Template.fromJSON(source).findResources('aws_vpc')).find(([, vpc]) => vpc.tags.Name === name);
  if (!found) throw new Error(`no VPC named ${name}`);
  return found[0];
}

const COCKROACH = vpcNamed('crdb-ory-cockroach');
const ORY = vpcNamed('crdb-ory-ory');

function subnetsOf(vpc: string, tier: string, source = json): any[] {
  return Object.entries(Template.fromJSON(source).findResources('aws_subnet'))
    .map(([, s]) => s)
    .filter((s) => s.vpc_id === ref('aws_vpc', vpc) && s.tags.Tier === tier);
}

function routesWith(key: string, source = json): any[] {
  return Template.fromJSON(source).all('aws_route').filter((r) => r[key] !== undefined);
}

describe('network stack, all defaults', () => {
  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('creates two VPCs with the configured CIDRs and DNS on', () => {
    const vpcs = Template.fromJSON(json).all('aws_vpc');
    expect(vpcs.map((v) => v.cidr_block).sort()).toEqual(['10.10.0.0/16', '10.20.0.0/16']);
    for (const vpc of vpcs) expect(vpc).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true });
  });

  it.each([
    ['cockroach', () => COCKROACH, ['10.10.0.0/24', '10.10.1.0/24', '10.10.2.0/24'], ['10.10.10.0/24', '10.10.11.0/24', '10.10.12.0/24']],
    ['ory', () => ORY, ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'], ['10.20.16.0/20', '10.20.32.0/20', '10.20.48.0/20']],
  ])('puts one public and one private subnet of the %s VPC in each AZ, in order', (_, vpc, publicCidrs, privateCidrs) => {
    const azs = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
    const pub = subnetsOf(vpc(), 'public');
    const priv = subnetsOf(vpc(), 'private');
    expect(pub.map((s) => [s.availability_zone, s.cidr_block])).toEqual(azs.map((az, i) => [az, publicCidrs[i]]));
    expect(priv.map((s) => [s.availability_zone, s.cidr_block])).toEqual(azs.map((az, i) => [az, privateCidrs[i]]));
    for (const s of [...pub, ...priv]) expect(s.map_public_ip_on_launch).toBe(false);
  });

  it('gives each VPC an internet gateway that only the public route table uses', () => {
    const gateways = Object.entries(Template.fromJSON(json).findResources('aws_internet_gateway'));
    expect(gateways.map(([, g]) => g.vpc_id).sort()).toEqual([ref('aws_vpc', COCKROACH), ref('aws_vpc', ORY)].sort());
    const igwRoutes = routesWith('gateway_id');
    expect(igwRoutes).toHaveLength(2);
    for (const route of igwRoutes) {
      expect(route.destination_cidr_block).toBe('0.0.0.0/0');
      const table = json.resource.aws_route_table[route.route_table_id.split('.')[1]];
      expect(table.tags.Name).toMatch(/-public$/);
    }
  });

  /** The resource name in a `${type.name.id}` reference; fails the test, naming the expression, when it holds none. */
  function referencedName(expression: string, type: string): string {
    const name = new RegExp(`${type}\\.([^.]+)\\.id`).exec(expression)?.[1];
    assert.exists(name, `a reference to a ${type} in ${expression}`);
    return name;
  }

  function natAzOfRoute(source: Record<string, any>, route: any): string {
    const nat = source.resource.aws_nat_gateway[referencedName(route.nat_gateway_id, 'aws_nat_gateway')];
    return source.resource.aws_subnet[referencedName(nat.subnet_id, 'aws_subnet')].availability_zone;
  }

  function privateSubnetAzOfTable(source: Record<string, any>, tableRef: string): string {
    const association = Template.fromJSON(source).all('aws_route_table_association').find((a) => a.route_table_id === tableRef);
    assert.exists(association, `a route table association of ${tableRef}`);
    return source.resource.aws_subnet[referencedName(association.subnet_id, 'aws_subnet')].availability_zone;
  }

  it('by default routes each Ory private subnet through the NAT gateway of its own AZ, and the CockroachDB VPC through one (4 Elastic IPs)', () => {
    const nats = Template.fromJSON(json).all('aws_nat_gateway');
    expect(nats).toHaveLength(4);
    Template.fromJSON(json).resourceCountIs('aws_eip', 4);
    for (const nat of nats) {
      expect(nat.allocation_id).toMatch(/^\$\{aws_eip\./);
      expect(nat.depends_on).toEqual([expect.stringMatching(/^aws_internet_gateway\./)]);
    }
    for (const eip of Template.fromJSON(json).all('aws_eip')) expect(eip.domain).toBe('vpc');
    const natRoutes = routesWith('nat_gateway_id');
    expect(natRoutes).toHaveLength(6);
    for (const route of natRoutes) expect(route.destination_cidr_block).toBe('0.0.0.0/0');
    const inVpc = (vpc: string) => natRoutes.filter((r) => json.resource.aws_route_table[r.route_table_id.split('.')[1]].vpc_id === ref('aws_vpc', vpc));
    for (const route of inVpc(ORY)) expect(natAzOfRoute(json, route)).toBe(privateSubnetAzOfTable(json, route.route_table_id));
    expect(new Set(inVpc(COCKROACH).map((r) => r.nat_gateway_id)).size).toBe(1);
    expect(new Set(inVpc(COCKROACH).map((r) => natAzOfRoute(json, r)))).toEqual(new Set(['us-east-1a']));
  });

  it('puts a NAT gateway in every AZ of both VPCs with natGateways "per-az" (6 Elastic IPs)', () => {
    const perAz = synthNetwork({ natGateways: 'per-az' });
    Template.fromJSON(perAz).resourceCountIs('aws_nat_gateway', 6);
    Template.fromJSON(perAz).resourceCountIs('aws_eip', 6);
    for (const route of routesWith('nat_gateway_id', perAz)) expect(natAzOfRoute(perAz, route)).toBe(privateSubnetAzOfTable(perAz, route.route_table_id));
  });

  it('gives both VPCs an S3 gateway endpoint on their private route tables, and the CockroachDB VPC interface endpoints in every AZ', () => {
    const endpoints = Template.fromJSON(json).all('aws_vpc_endpoint');
    const gateways = endpoints.filter((e) => e.vpc_endpoint_type === 'Gateway');
    expect(gateways.map((e) => [e.service_name, e.vpc_id]).sort()).toEqual([['com.amazonaws.us-east-1.s3', ref('aws_vpc', COCKROACH)], ['com.amazonaws.us-east-1.s3', ref('aws_vpc', ORY)]].sort());
    for (const gateway of gateways) expect(gateway.route_table_ids).toHaveLength(3);
    const interfaces = endpoints.filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(interfaces.map((e) => e.service_name).sort()).toEqual(['ec2messages', 'monitoring', 'secretsmanager', 'ssm', 'ssmmessages'].map((s) => `com.amazonaws.us-east-1.${s}`));
    const privateSubnets = subnetsOf(COCKROACH, 'private');
    for (const endpoint of interfaces) {
      expect(endpoint).toMatchObject({ vpc_id: ref('aws_vpc', COCKROACH), private_dns_enabled: true });
      expect(endpoint.subnet_ids).toHaveLength(privateSubnets.length);
    }
    const { name: ruleName, config: rule } = Template.fromJSON(json).only('aws_vpc_security_group_ingress_rule');
    expect(ruleName).toMatch(/https-from-vpc/);
    expect(rule).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: ref('aws_vpc', COCKROACH, 'cidr_block') });
  });

  it('names endpoint services of the China partition cn.com.amazonaws, except S3', () => {
    const china = synthNetwork({ region: 'cn-northwest-1', availabilityZones: ['cn-northwest-1a', 'cn-northwest-1b', 'cn-northwest-1c'] });
    const names = Template.fromJSON(china).all('aws_vpc_endpoint').map((e) => e.service_name);
    expect(names).toContain('com.amazonaws.cn-northwest-1.s3');
    expect(names).toContain('cn.com.amazonaws.cn-northwest-1.ssm');
  });

  it('refuses a region or availability zone that does not exist, naming the prop', () => {
    expect(() => synthNetwork({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1x'] })).toThrow('Invalid props of network:\n  - availabilityZones[2] = "us-east-1x": is not an availability zone of us-east-1');
    expect(() => synthNetwork({ region: 'eu-west-9' })).toThrow('Invalid props of network:\n  - region = "eu-west-9": is not an AWS region');
  });

  const data = (source: Record<string, any>, type: string): Array<[string, any]> => Object.entries(source.data?.[type] ?? {});

  it('checks the account at plan time: zones, Elastic IPs, VPCs and NAT gateways per zone, counting its own resources by its state tag', () => {
    const quotaCodes = data(json, 'aws_servicequotas_service_quota').map(([, q]) => q.quota_code);
    expect(quotaCodes.sort()).toEqual(['L-0263D0A3', 'L-F678F1CE', 'L-FE5A380F', 'L-FE5A380F', 'L-FE5A380F'].sort());
    for (const [, quota] of data(json, 'aws_servicequotas_service_quota')) expect(quota.lifecycle.postcondition).toHaveLength(1);
    expect(json.provider.aws[0].default_tags[0].tags.TerraformState).toBe('local:terraform.network.tfstate');
    const ownListings = ['aws_eips', 'aws_vpcs', 'aws_nat_gateways'].flatMap((type) => data(json, type).filter(([, d]) => d.tags));
    expect(ownListings).toHaveLength(3);
    for (const [, listing] of ownListings) expect(listing.tags).toEqual({ TerraformState: 'local:terraform.network.tfstate' });
    const s3 = synthNetwork({ stateBackend: { type: 's3', bucket: 'acme-tfstate', region: 'us-east-1', keyPrefix: 'idp' } });
    expect(s3.provider.aws[0].default_tags[0].tags.TerraformState).toBe('s3://acme-tfstate/idp/network.tfstate');
    const [zones] = data(json, 'aws_availability_zones');
    assert.exists(zones, 'an aws_availability_zones data source');
    expect(zones[1]).toMatchObject({ state: 'available' });
  });

  it('associates each private subnet with its own route table and the public subnets with the public one', () => {
    const associations = Template.fromJSON(json).all('aws_route_table_association');
    expect(associations).toHaveLength(12);
    expect(new Set(associations.map((a) => a.subnet_id)).size).toBe(12);
    expect(new Set(associations.map((a) => a.route_table_id)).size).toBe(8);
  });

  it('peers the Ory VPC with the CockroachDB VPC, accepted, with routes both ways from every private route table', () => {
    const peerings = Object.entries(Template.fromJSON(json).findResources('aws_vpc_peering_connection'));
    expect(peerings).toHaveLength(1);
    const [name, peering] = peerings[0];
    expect(peering).toMatchObject({ vpc_id: ref('aws_vpc', ORY), peer_vpc_id: ref('aws_vpc', COCKROACH), auto_accept: true });
    const peeringRoutes = routesWith('vpc_peering_connection_id');
    for (const route of peeringRoutes) expect(route.vpc_peering_connection_id).toBe(ref('aws_vpc_peering_connection', name));
    const privateTables = (vpc: string) =>
      Object.entries(Template.fromJSON(json).findResources('aws_route_table')).filter(([, t]) => t.vpc_id === ref('aws_vpc', vpc) && /-private-\d$/.test(t.tags.Name)).map(([n]) => ref('aws_route_table', n));
    const tablesRoutingTo = (cidrRef: string) => peeringRoutes.filter((r) => r.destination_cidr_block === cidrRef).map((r) => r.route_table_id).sort();
    expect(tablesRoutingTo(ref('aws_vpc', COCKROACH, 'cidr_block'))).toEqual(privateTables(ORY).sort());
    expect(tablesRoutingTo(ref('aws_vpc', ORY, 'cidr_block'))).toEqual(privateTables(COCKROACH).sort());
    expect(peeringRoutes).toHaveLength(6);
  });

  it('creates a private hosted zone associated with both VPCs', () => {
    const zones = Template.fromJSON(json).all('aws_route53_zone');
    expect(zones).toHaveLength(1);
    expect(zones[0].name).toBe('crdb-ory.internal');
    expect(zones[0].force_destroy).toBe(false);
    expect(zones[0].vpc.map((v: any) => v.vpc_id).sort()).toEqual([ref('aws_vpc', COCKROACH), ref('aws_vpc', ORY)].sort());
  });

  it('tags the Ory subnets for EKS load balancers and the cluster, and leaves the CockroachDB subnets untagged', () => {
    for (const s of subnetsOf(ORY, 'public')) expect(s.tags).toMatchObject({ 'kubernetes.io/role/elb': '1', 'kubernetes.io/cluster/ory': 'shared' });
    for (const s of subnetsOf(ORY, 'private')) expect(s.tags).toMatchObject({ 'kubernetes.io/role/internal-elb': '1', 'kubernetes.io/cluster/ory': 'shared' });
    for (const s of [...subnetsOf(ORY, 'public'), ...subnetsOf(ORY, 'private')]) {
      expect(Object.keys(s.tags).filter((k) => k.startsWith('kubernetes.io/role/'))).toHaveLength(1);
    }
    for (const s of [...subnetsOf(COCKROACH, 'public'), ...subnetsOf(COCKROACH, 'private')]) {
      expect(Object.keys(s.tags).some((k) => k.startsWith('kubernetes.io/'))).toBe(false);
    }
  });

  it('uses the configured EKS cluster name in the cluster tag', () => {
    const renamed = synthNetwork({ eksClusterName: 'identity' });
    const oryVpc = vpcNamed('crdb-ory-ory', renamed);
    for (const s of subnetsOf(oryVpc, 'private', renamed)) expect(s.tags['kubernetes.io/cluster/identity']).toBe('shared');
  });

  it('strips every rule from both default security groups', () => {
    const groups = Template.fromJSON(json).all('aws_default_security_group');
    expect(groups.map((g) => g.vpc_id).sort()).toEqual([ref('aws_vpc', COCKROACH), ref('aws_vpc', ORY)].sort());
    for (const group of groups) expect(group).toMatchObject({ ingress: [], egress: [] });
  });

  it('logs all traffic of both VPCs to KMS-encrypted log groups with the default retention', () => {
    const flowLogs = Template.fromJSON(json).all('aws_flow_log');
    expect(flowLogs.map((f) => f.vpc_id).sort()).toEqual([ref('aws_vpc', COCKROACH), ref('aws_vpc', ORY)].sort());
    for (const f of flowLogs) expect(f).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const { name: keyName } = Template.fromJSON(json).only('aws_kms_key', 'flow-logs-key');
    for (const group of Template.fromJSON(json).all('aws_cloudwatch_log_group')) {
      expect(group.retention_in_days).toBe(365);
      expect(group.kms_key_id).toBe(ref('aws_kms_key', keyName, 'arn'));
    }
  });

  it('rotates the flow logs key and lets only CloudWatch Logs of this account and region use it', () => {
    const keys = Object.entries(Template.fromJSON(json).findResources('aws_kms_key')).filter(([name]) => name.startsWith('flow-logs-key')).map(([, k]) => k);
    expect(keys).toHaveLength(1);
    expect(keys[0].enable_key_rotation).toBe(true);
    const [, logs] = JSON.parse(keys[0].policy).Statement;
    expect(logs.Principal.Service).toMatch(/^logs\.\$\{data\.aws_region\.[^}]+\}\.amazonaws\.com$/);
    expect(Object.keys(logs.Condition.ArnLike)).toEqual(['kms:EncryptionContext:aws:logs:arn']);
  });

  it('lets only VPC Flow Logs assume the delivery role, for flow logs of this account and region only (no confused deputy)', () => {
    const roles = Object.entries(Template.fromJSON(json).findResources('aws_iam_role'));
    expect(roles).toHaveLength(2);
    for (const [, role] of roles) {
      const [trust, ...others] = JSON.parse(role.assume_role_policy).Statement;
      expect(others).toEqual([]);
      expect(trust.Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
      expect(Object.keys(trust.Condition)).toEqual(['StringEquals', 'ArnLike']);
      expect(trust.Condition.StringEquals['aws:SourceAccount']).toMatch(/^\$\{data\.aws_caller_identity\.[^.]+\.account_id\}$/);
      expect(trust.Condition.ArnLike['aws:SourceArn']).toMatch(/^arn:\$\{data\.aws_partition\.[^.]+\.partition\}:ec2:\$\{data\.aws_region\.[^.]+\.name\}:\$\{data\.aws_caller_identity\.[^.]+\.account_id\}:vpc-flow-log\/\*$/);
    }
  });

  it('lets the delivery role write only to its own log group, and describe log groups (which VPC Flow Logs checks)', () => {
    for (const policy of Template.fromJSON(json).all('aws_iam_role_policy')) {
      const statements = JSON.parse(policy.policy).Statement;
      expect(statements).toHaveLength(2);
      expect(statements[0]).toEqual({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+\.arn\}$/), expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^.]+\.arn\}:\*$/)] });
      expect(statements[1]).toEqual({ Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' });
    }
  });

  it('applies the configured flow logs retention', () => {
    const short = synthNetwork({ flowLogsRetentionDays: 30 });
    for (const group of Template.fromJSON(short).all('aws_cloudwatch_log_group')) expect(group.retention_in_days).toBe(30);
  });

  it('configures the AWS provider with the region and default tags', () => {
    const tagged = synthNetwork({ tags: { Team: 'platform' } });
    expect(tagged.provider.aws[0]).toMatchObject({ region: 'us-east-1', default_tags: [{ tags: { Team: 'platform', TerraformState: 'local:terraform.network.tfstate' } }] });
  });

  it('publishes every output of its contract', () => {
    const expected = Object.keys(NETWORK_OUTPUTS.outputs).map(terraformOutputName).sort();
    expect(Object.keys(json.output).sort()).toEqual(expected);
    expect(json.output.availability_zones.value).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(json.output.eks_cluster_name.value).toBe('ory');
    expect(json.output.vpc_peering_connection_id.value).toMatch(/^\$\{aws_vpc_peering_connection\./);
    expect(json.output.cockroach_private_subnet_ids.value).toEqual(
      Object.entries(Template.fromJSON(json).findResources('aws_subnet')).filter(([, s]) => s.vpc_id === ref('aws_vpc', COCKROACH) && s.tags.Tier === 'private').map(([n]) => ref('aws_subnet', n)),
    );
  });

  it('keeps its state in the local file of the network stack by default', () => {
    expect(json.terraform.backend.local.path).toBe('../../../terraform.network.tfstate');
  });
});

import type { SynthesizedStackJson } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { costDrivers, exposureOf, isInternetCidr } from '../src';

const VPC_CIDR = '10.20.0.0/16';
const CONTEXT = { vpcs: [{ role: 'ory' as const, cidr: VPC_CIDR, references: [] }] };

const stack = (resource: Record<string, Record<string, Record<string, unknown>>>): SynthesizedStackJson => ({ resource }) as SynthesizedStackJson;

describe('exposureOf', () => {
  const json = stack({
    aws_vpc_security_group_ingress_rule: {
      world: { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0', security_group_id: 'sg-1' },
      vpn: { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.99.0.0/16', security_group_id: 'sg-1' },
      inside: { ip_protocol: 'tcp', from_port: 26257, to_port: 26257, cidr_ipv4: '10.20.16.0/20', security_group_id: 'sg-1' },
    },
    aws_lb: { internal_nlb: { name: 'db', internal: true, load_balancer_type: 'network' }, public_alb: { name: 'web', internal: false, load_balancer_type: 'application' } },
    aws_eks_cluster: { cluster: { name: 'ory', vpc_config: { endpoint_public_access: true, endpoint_private_access: true } } },
    kubernetes_ingress_v1: {
      hydra: {
        metadata: { name: 'hydra-public', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24', 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]' } },
        spec: { rule: [{ host: 'hydra.example.com', http: { path: [{ backend: { service: { name: 'hydra-public', port: { number: 4444 } } } }] } }] },
      },
      internal: { metadata: { name: 'x', annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal' } }, spec: {} },
    },
    kubernetes_service_v1: { lb: { metadata: { name: 'keto' }, spec: { type: 'LoadBalancer', port: [{ port: 4466 }] } } },
  });

  it('lists what networks outside the product\'s VPCs reach, from where, and whether that is the internet', () => {
    expect(exposureOf([{ name: 's', json }], CONTEXT).map((e) => [e.what, e.from, e.internet])).toEqual([
      ['port 443', ['0.0.0.0/0'], true],
      ['port 443', ['10.99.0.0/16'], false],
      ['internet-facing application load balancer web', ['(its security groups and listeners)'], true],
      ['port 443 of the Kubernetes API (public endpoint)', ['0.0.0.0/0'], true],
      ['HTTPS 443 of hydra-public (hydra.example.com) (internet-facing ALB)', ['203.0.113.0/24'], true],
      ['ports 4466 of service keto (internet-facing load balancer)', ['0.0.0.0/0'], true],
    ]);
  });

  it('tells the internet from private, shared and reserved ranges', () => {
    expect(['0.0.0.0/0', '203.0.113.0/24', '8.8.8.8/32'].map(isInternetCidr)).toEqual([true, true, true]);
    expect(['10.1.0.0/16', '172.16.5.0/24', '192.168.0.0/24', '100.64.0.0/16'].map(isInternetCidr)).toEqual([false, false, false, false]);
  });
});

describe('costDrivers', () => {
  it('counts what is billed by the hour or the month across stacks, with what sets its price, skipping what is absent', () => {
    const network = stack({ aws_nat_gateway: { a: {}, b: {} }, aws_eip: { a: {}, b: {} }, aws_vpc_endpoint: { ssm: { vpc_endpoint_type: 'Interface', service_name: 'com.amazonaws.${data.aws_region.r.name}.ssm', subnet_ids: ['a', 'b', 'c'] }, s3: { vpc_endpoint_type: 'Gateway' } } });
    const db = stack({
      aws_instance: { n1: { instance_type: 'm6i.2xlarge' }, n2: { instance_type: 'm6i.2xlarge' } },
      aws_ebs_volume: { v1: { size: 500, type: 'gp3', iops: 6000, throughput: 250 }, v2: { size: 500, type: 'gp3', iops: 6000, throughput: 250 } },
      aws_kms_key: { k: {} },
    });
    const eks = stack({ aws_eks_node_group: { g: { instance_types: ['m5.xlarge'], scaling_config: { desired_size: 3, min_size: 1, max_size: 4 } } }, aws_kms_key: { k: {} } });
    expect(costDrivers([{ name: 'network', json: network }, { name: 'cockroach', json: db }, { name: 'eks', json: eks }])).toEqual([
      { item: 'NAT gateways', count: 2, detail: '', stacks: ['network'] },
      { item: 'Elastic IPs', count: 2, detail: '', stacks: ['network'] },
      { item: 'EC2 instances', count: 2, detail: '2 x m6i.2xlarge', stacks: ['cockroach'] },
      { item: 'EKS nodes (desired)', count: 3, detail: '3 x m5.xlarge (min 1, max 4)', stacks: ['eks'] },
      { item: 'VPC interface endpoints (per AZ)', count: 3, detail: '3 x ssm', stacks: ['network'] },
      { item: 'EBS volumes', count: 2, detail: '2 x 500 GiB gp3, 6000 IOPS, 250 MiB/s', stacks: ['cockroach'] },
      { item: 'KMS keys', count: 2, detail: '', stacks: ['cockroach', 'eks'] },
    ]);
  });
});

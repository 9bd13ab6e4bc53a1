/**
 * The multi-region app with a public domain: the `ory-public-dns` stack routes Ory's public names
 * across the regions, with every state in an S3 backend. One app built once for the file; its stacks
 * synthesized from it (the latency app: its public DNS stack only).
 */
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { resolveMultiRegionConfig } from '../src/config';
import { buildMultiRegionStacks } from '../src/stacks';
import { unpublishedParameters, unresolvedRemoteStates } from './stack-graph';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];
const PREFIXES: Record<string, string> = { 'us-east-1': 'crdb-ory', 'us-east-2': 'crdb-ory-us-east-2', 'us-west-2': 'crdb-ory-us-west-2' };
const overrides = { domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'], eks: { endpointPrivateAccessCidrs: ['10.99.0.0/16'] }, stateBackend: { type: 's3', bucket: 'crdb-ory-tfstate-123456789012-us-east-1' } };
const config = resolveMultiRegionConfig(overrides);
const app = Testing.app();
const built = buildMultiRegionStacks(app, config);
const all = Object.fromEntries(app.node.children.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack as never)) as Record<string, any>]));
const dns = all['ory-public-dns'] as Record<string, any>;
const latency = buildMultiRegionStacks(Testing.app(), resolveMultiRegionConfig({ ...overrides, ory: { publicRouting: 'latency' } })).oryPublicDns;
const latencyJson = JSON.parse(Testing.synth(latency as never)) as Record<string, any>;

function records(json: Record<string, any>, name: string): Array<Record<string, any>> {
  return Object.values(json['resource']['aws_route53_record'] as Record<string, any>).filter((r) => r.name === name);
}

describe('the multi-region app\'s public DNS (with a domain)', () => {
  it('adds ory-public-dns in the primary region, after every region\'s Ory stack', () => {
    expect(built.oryPublicDns?.stackName).toBe('ory-public-dns');
    expect(dns['provider']['aws'][0].region).toBe('us-east-1');
    expect(built.oryPublicDns?.upstreamReads.map((r) => r.stackName)).toEqual(['state', 'ory-us-east-1', 'ory-us-east-2', 'ory-us-west-2']);
  });

  it('reads every remote state from a stack of this app under its S3 key, and every parameter where a stack publishes it', () => {
    expect(Object.keys(all)).toHaveLength(19);
    expect(all['ory-us-east-2']?.['data']['terraform_remote_state']['remote-state-eks-us-east-2']).toMatchObject({ backend: 's3', config: { key: 'crdb-ory/eks-us-east-2.tfstate' } });
    expect(unresolvedRemoteStates(all)).toEqual([]);
    expect(unpublishedParameters(all)).toEqual([]);
  });

  it('fails hydra and kratos over from the primary to the secondary region by default', () => {
    expect(config.ory.publicRouting).toBe('failover');
    for (const host of ['hydra.example.com', 'kratos.example.com']) {
      const byRole = Object.fromEntries(records(dns, host).map((r) => [r['failover_routing_policy']?.type, r]));
      expect(Object.keys(byRole).sort(), host).toEqual(['PRIMARY', 'SECONDARY']);
      expect(byRole['PRIMARY']?.['records'], host).toEqual(['${data.aws_lb.alb-us-east-1.dns_name}']);
      expect(byRole['SECONDARY']?.['records'], host).toEqual(['${data.aws_lb.alb-us-east-2.dns_name}']);
    }
  });

  it('finds each region\'s ALB by that region\'s Ingress group and follows that region\'s alarm (its own name prefix)', () => {
    for (const region of REGIONS) {
      const alb = dns['data']['aws_lb'][`alb-${region}`];
      expect(alb['provider'], region).toBe(`aws.${region}`);
      expect(alb['tags']['ingress.k8s.aws/stack'], region).toBe(`${PREFIXES[region]}-ory`);
    }
    const alarms = Object.values(dns['resource']['aws_route53_health_check'] as Record<string, any>).map((c) => [c['cloudwatch_alarm_region'], c['cloudwatch_alarm_name']]);
    expect(alarms.sort()).toEqual(expect.arrayContaining([['us-east-1', 'crdb-ory-ory-public-no-healthy-targets'], ['us-east-2', 'crdb-ory-us-east-2-ory-public-no-healthy-targets']]));
    for (const [region, name] of alarms) expect(name).toBe(`${PREFIXES[region as string]}-ory-public-no-healthy-targets`);
  });

  it('routes by latency to every region when ory.publicRouting is "latency"', () => {
    const found = records(latencyJson, 'hydra.example.com');
    expect(found.map((r) => r['latency_routing_policy']?.region).sort()).toEqual(REGIONS);
    expect(found.every((r) => r['failover_routing_policy'] === undefined)).toBe(true);
  });
});

/**
 * Ory's public names routed across regions (`OryPublicFailover`), in a global stack that reads the
 * regions' Ory stacks, and the global pieces (with `OrySharedSecrets`) under real Terraform 1.11
 * and the real hashicorp/aws 5.100.0 schema (`terraform validate`: the ephemeral resource, the
 * write-only argument, the routing blocks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProductStack, ValidationError, configureAwsProvider } from '@crdb-ory/core';
import { Template } from '@crdb-ory/core/testing';
import { GO_RUNTIME_ENV, AWS_PROVIDER, findProviderMirror, runTerraform, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { OryPublicDnsStack, OryPublicFailover, OryPublicFailoverProps, OryPublicRouting, OrySharedSecrets, OryStack } from '../src';
import { BASE_PROPS } from './support/synth-ory';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'] as const;
const oryStackName = (region: string) => `ory-${region}`;
const hostname = (region: string) => `\${data.aws_lb.alb-${region}.dns_name}`;

function globalStack(routing?: OryPublicRouting) {
  const regions = REGIONS.map((region) => ({ region, oryStackName: oryStackName(region), eksClusterName: `ory-${region}` }));
  const stack = new OryPublicDnsStack(Testing.app(), { stateBackend: { type: 'local' }, region: REGIONS[0], domain: 'example.com', regions, ...(routing ? { routing } : {}) });
  return { stack, json: JSON.parse(Testing.synth(stack, true)) as Record<string, any> };
}

const failover = globalStack();
const latency = globalStack('latency');
/** The alarm a region's Ory stack creates, which its health check must name. */
const regionStack = new OryStack(Testing.app(), { ...BASE_PROPS, region: 'us-east-2', stackNames: { ory: oryStackName('us-east-2') }, domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'] });
const regionJson = JSON.parse(Testing.synth(regionStack)) as Record<string, any>;

function records(json: Record<string, any>, name: string) {
  return Template.fromJSON(json).all('aws_route53_record').filter((r) => r.name === name);
}

function healthCheckOf(json: Record<string, any>, reference: string) {
  const name = /^\$\{aws_route53_health_check\.([^.]+)\.id\}$/.exec(reference)?.[1];
  return json.resource.aws_route53_health_check[name ?? ''];
}

describe('failover routing (the default)', () => {
  it('one health check per routed region, following the alarm the region\'s Ory stack raises when no public target is healthy', () => {
    const checks = Template.fromJSON(failover.json).all('aws_route53_health_check');
    expect(checks.map((c) => c.cloudwatch_alarm_region)).toEqual(['us-east-1', 'us-east-2']);
    const alarmNames = Object.values(regionJson.resource.aws_cloudwatch_metric_alarm as Record<string, any>).map((a) => a.alarm_name);
    for (const check of checks) {
      expect(check).toMatchObject({ type: 'CLOUDWATCH_METRIC', insufficient_data_health_status: 'Unhealthy' });
      expect(alarmNames).toContain(check.cloudwatch_alarm_name);
      expect(check.cloudwatch_alarm_name).toBe('crdb-ory-ory-public-no-healthy-targets');
    }
  });

  it.each(['hydra.example.com', 'kratos.example.com'])('%s: PRIMARY to the first region\'s load balancer, SECONDARY to the second\'s, each with its own health check', (host) => {
    const byRole = Object.fromEntries(records(failover.json, host).map((r) => [r.failover_routing_policy.type, r]));
    expect(Object.keys(byRole).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    for (const [role, region] of [['PRIMARY', 'us-east-1'], ['SECONDARY', 'us-east-2']] as const) {
      const record = byRole[role];
      expect(record).toMatchObject({ type: 'CNAME', ttl: 60, records: [hostname(region)], set_identifier: `${region}-${role.toLowerCase()}` });
      expect(record.latency_routing_policy).toBeUndefined();
      expect(healthCheckOf(failover.json, record.health_check_id).cloudwatch_alarm_region).toBe(region);
      expect(record.zone_id).toMatch(/^\$\{data\.aws_route53_zone\./);
    }
    expect(JSON.stringify(records(failover.json, host))).not.toContain(hostname('us-west-2'));
  });

  it('no record for Keto unless its read API is exposed; the zone is the public one', () => {
    expect(records(failover.json, 'keto.example.com')).toEqual([]);
    expect(Object.values(failover.json.data.aws_route53_zone as Record<string, any>)).toEqual([{ name: 'example.com', private_zone: false }]);
  });

  it('the global stack (ory-public-dns, in the primary region) deploys after every region\'s Ory stack, and reads none of their state', () => {
    expect(failover.stack.stackName).toBe('ory-public-dns');
    expect(failover.json.provider.aws[0].region).toBe('us-east-1');
    expect(failover.stack.upstreamReads.map((r) => r.stackName)).toEqual(REGIONS.map(oryStackName));
    // An Ory stack's state holds its Kubernetes Secrets' data: no other stack may read it.
    expect(failover.json.data.terraform_remote_state).toBeUndefined();
  });

  it.each(REGIONS)('%s: the ALB is read in its own region, by the tags the controller writes on the ALB the region\'s alarms watch', (region) => {
    const alb = failover.json.data.aws_lb[`alb-${region}`];
    const alias = failover.json.provider.aws.find((p: any) => p.alias === region);
    expect(alias.region).toBe(region);
    expect(alb.provider).toBe(`aws.${region}`);
    const regionAlb = Object.values(regionJson.data.aws_lb as Record<string, any>)[0];
    expect(Object.keys(alb.tags)).toEqual(Object.keys(regionAlb.tags));
    expect(alb.tags['ingress.k8s.aws/stack']).toBe(regionAlb.tags['ingress.k8s.aws/stack']);
    expect(alb.tags['elbv2.k8s.aws/cluster']).toBe(`ory-${region}`);
  });
});

describe('a region with a name prefix of its own (IAM names are account-wide)', () => {
  it('finds that region\'s ALB by its Ingress group and follows its alarm, both named with the region\'s prefix', () => {
    const prefix = 'crdb-ory-us-east-2';
    const own = new OryStack(Testing.app(), { ...BASE_PROPS, namePrefix: prefix, region: 'us-east-2', stackNames: { ory: oryStackName('us-east-2') }, domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'] });
    const ownJson = JSON.parse(Testing.synth(own)) as Record<string, any>;
    const regions = REGIONS.slice(0, 2).map((region) => ({ region, oryStackName: oryStackName(region), eksClusterName: `ory-${region}`, ...(region === 'us-east-2' ? { namePrefix: prefix } : {}) }));
    const json = JSON.parse(Testing.synth(new OryPublicDnsStack(Testing.app(), { stateBackend: { type: 'local' }, region: REGIONS[0], domain: 'example.com', regions }), true)) as Record<string, any>;
    const ownAlb = Object.values(ownJson['data']['aws_lb'] as Record<string, any>)[0];
    expect(json['data']['aws_lb']['alb-us-east-2'].tags['ingress.k8s.aws/stack']).toBe(ownAlb.tags['ingress.k8s.aws/stack']);
    expect(json['data']['aws_lb']['alb-us-east-1'].tags['ingress.k8s.aws/stack']).toBe('crdb-ory-ory');
    const alarms = Object.values(ownJson['resource']['aws_cloudwatch_metric_alarm'] as Record<string, any>).map((a) => a.alarm_name);
    const checks = Object.values(json['resource']['aws_route53_health_check'] as Record<string, any>);
    const east2 = checks.find((c) => c.cloudwatch_alarm_region === 'us-east-2');
    expect(alarms).toContain(east2?.cloudwatch_alarm_name);
    expect(east2?.cloudwatch_alarm_name).toBe(`${prefix}-ory-public-no-healthy-targets`);
  });
});

describe('latency routing (opt-in)', () => {
  it.each(['hydra.example.com', 'kratos.example.com'])('%s: one record per region, its latency region and its health check', (host) => {
    const found = records(latency.json, host);
    expect(found.map((r) => r.latency_routing_policy.region)).toEqual([...REGIONS]);
    for (const record of found) {
      const region = record.latency_routing_policy.region;
      expect(record).toMatchObject({ records: [hostname(region)], set_identifier: region });
      expect(record.failover_routing_policy).toBeUndefined();
      expect(healthCheckOf(latency.json, record.health_check_id).cloudwatch_alarm_region).toBe(region);
    }
  });
});

describe('bad props', () => {
  it('refuses a single region, a repeated region, an unknown routing and a negative TTL, as one ValidationError', () => {
    const stack = new ProductStack(Testing.app(), 'x', { stateBackend: { type: 'local' } });
    const props = { domain: 'example.com', namePrefix: 'p', regions: [{ region: 'us-east-1', loadBalancerHostname: 'a' }], routing: 'weighted', ttl: -1 } as unknown as OryPublicFailoverProps;
    const problems = (() => {
      try {
        new OryPublicFailover(stack, 'dns', props);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).problems.map((p) => p.prop);
      }
      return [];
    })();
    expect(problems).toEqual(['regions', 'routing', 'ttl']);
    const repeated = [{ region: 'us-east-1', loadBalancerHostname: 'a' }, { region: 'us-east-1', loadBalancerHostname: 'b' }];
    expect(() => new OryPublicFailover(stack, 'dns2', { domain: 'example.com', namePrefix: 'p', regions: repeated })).toThrow(/regions = .*must not repeat a region/);
  });
});

/**
 * One `terraform validate` of the global pieces: what nothing but Terraform itself can say is
 * that the `ephemeral` block and the write-only argument fed from it are valid JSON configuration
 * for Terraform 1.11 and hashicorp/aws 5.100.0, and so are the health check and routing blocks.
 */
describe('under real Terraform', () => {
  it('terraform validate accepts OrySharedSecrets and OryPublicFailover (both routings)', () => {
    const mirror = findProviderMirror(AWS_PROVIDER);
    if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR)');
    const stack = new ProductStack(Testing.app(), 'ory-global', { stateBackend: { type: 'local' } });
    configureAwsProvider(stack, { region: 'us-east-1', tags: {} });
    new OrySharedSecrets(stack, 'ory-shared-secrets', { namePrefix: 'crdb-ory', primaryRegion: 'us-east-1', replicaRegions: ['us-east-2', 'us-west-2'] });
    const regions = REGIONS.map((region) => ({ region, loadBalancerHostname: `k8s-ory-${region}.elb.amazonaws.com` }));
    new OryPublicFailover(stack, 'failover', { domain: 'example.com', namePrefix: 'crdb-ory', regions });
    new OryPublicFailover(stack, 'latency', { domain: 'example.org', namePrefix: 'crdb-ory', regions, routing: 'latency' });
    const json = JSON.parse(Testing.synth(stack, true)) as Record<string, any>;
    const dir = mkdtempSync(join(tmpdir(), 'ory-global-'));
    try {
      const terraform = Object.fromEntries(Object.entries(json['terraform']).filter(([key]) => key !== 'backend'));
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ ...json, terraform }, null, 1));
      const cliConfigFile = writeMirrorCliConfig(dir, mirror, [AWS_PROVIDER]);
      const init = runTerraform(['init', '-backend=false', '-input=false'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV });
      expect(init.ok, init.output).toBe(true);
      const validate = runTerraform(['validate', '-no-color'], { cwd: dir, cliConfigFile, env: GO_RUNTIME_ENV });
      expect(validate.output).toContain('The configuration is valid');
      expect(validate.ok, validate.output).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

import { COCKROACH_PORTS_INTERNAL, CRDB_ORY_PACK, StackDocument, evaluatePack } from '@crdb-ory/policy';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMultiRegionConfig } from '../src/config';
import { multiRegionPolicyContext, synthesizeMultiRegion } from '../src/synthesize';

// One synthesis of the defaults for the whole file, through the policy gate, as `npm run synth:multi-region` does.
const config = resolveMultiRegionConfig(undefined);
const outdir = join(mkdtempSync(join(tmpdir(), 'crdb-ory-multi-region-')), 'cdktf.out');
const result = synthesizeMultiRegion(config, outdir);
const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { dependencies?: string[]; synthesizedStackPath: string }> };
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];
const OTHERS = ['us-east-2', 'us-west-2'];

function stack(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(outdir, manifest.stacks[name]?.synthesizedStackPath ?? `missing-${name}`), 'utf8'));
}

function resources(name: string, type: string): Array<Record<string, any>> {
  return Object.values(stack(name)['resource']?.[type] ?? {});
}

function dependencies(name: string): string[] {
  return [...(manifest.stacks[name]?.dependencies ?? [])].sort();
}

describe('the multi-region app\'s synthesis', () => {
  it('produces the global stacks and every region\'s stacks, the backup stack in the primary region only', () => {
    expect(result.stacks.map((s) => s.name).sort()).toEqual(
      ['state', 'cockroach-pki', 'inter-region', 'cockroach-backup-us-east-1', ...REGIONS.flatMap((r) => [`network-${r}`, `cockroach-${r}`, `eks-${r}`, `ory-${r}`])].sort(),
    );
  });

  it('puts each region\'s stacks in that region, and the global ones in the primary region', () => {
    for (const region of REGIONS) for (const kind of ['network', 'cockroach', 'eks']) expect(stack(`${kind}-${region}`)['provider']['aws'][0].region, `${kind}-${region}`).toBe(region);
    for (const name of ['state', 'cockroach-pki', 'inter-region', 'cockroach-backup-us-east-1']) expect(stack(name)['provider']['aws'][0].region, name).toBe('us-east-1');
  });

  it('declares the dependencies of exactly each stack\'s reads, plus the order the other regions\' nodes join in', () => {
    expect(dependencies('inter-region')).toEqual(REGIONS.map((r) => `network-${r}`));
    expect(dependencies('cockroach-pki')).toEqual(['network-us-east-1']);
    expect(dependencies('cockroach-backup-us-east-1')).toEqual(['network-us-east-1']);
    expect(dependencies('cockroach-us-east-1')).toEqual(['cockroach-backup-us-east-1', 'cockroach-pki', 'network-us-east-1']);
    for (const region of OTHERS) {
      expect(dependencies(`cockroach-${region}`)).toEqual(['cockroach-backup-us-east-1', 'cockroach-pki', 'cockroach-us-east-1', 'inter-region', `network-${region}`]);
    }
    for (const region of REGIONS) {
      expect(dependencies(`eks-${region}`)).toEqual([`network-${region}`]);
      expect(dependencies(`ory-${region}`)).toEqual(['cockroach-pki', `cockroach-${region}`, `eks-${region}`, `network-${region}`]);
      expect(dependencies(`network-${region}`)).toEqual([]);
    }
  });

  it('reads each region\'s network, cockroach and eks state under that region\'s stack names', () => {
    const reads = (name: string) => Object.keys(stack(name)['data']?.['terraform_remote_state'] ?? {}).sort();
    expect(reads('ory-us-west-2')).toEqual(['remote-state-cockroach-us-west-2', 'remote-state-eks-us-west-2', 'remote-state-network-us-west-2']);
    expect(reads('cockroach-us-east-2')).toEqual(['remote-state-cockroach-backup-us-east-1', 'remote-state-network-us-east-2']);
  });

  it('peers the three CockroachDB VPCs in a full mesh from the global stack, each side in its own region', () => {
    const connections = resources('inter-region', 'aws_vpc_peering_connection').map((c) => [c['provider'], c['peer_region']]);
    expect(connections).toEqual([
      ['aws.us-east-1', 'us-east-2'],
      ['aws.us-east-1', 'us-west-2'],
      ['aws.us-east-2', 'us-west-2'],
    ]);
    expect(resources('inter-region', 'aws_route')).toHaveLength(3 * 2 * 3);
  });

  it('starts every node with one join list that spans the regions, more than one node of each, and the multi-region --max-offset', () => {
    for (const region of REGIONS) {
      // Each node's boot script is a local of its stack (the instance's user_data_base64 gzips it).
      const userData = Object.values(stack(`cockroach-${region}`)['locals'] as Record<string, unknown>).map(String).filter((text) => text.includes('JOIN_ADDRESSES='));
      expect(userData).toHaveLength(3);
      for (const script of userData) {
        const join = /JOIN_ADDRESSES='([^']*)'/.exec(script)?.[1] ?? '';
        for (const [i, subnet] of ['10.10.10.0/24', '10.11.10.0/24', '10.12.10.0/24', '10.10.11.0/24', '10.11.12.0/24'].entries()) expect(join, `${region} join ${i}`).toContain(`"${subnet}"`);
        expect(join.split(',').filter((address) => address.includes(':26257'))).toHaveLength(9);
        expect(script).toMatch(/MAX_OFFSET='250ms'/);
      }
    }
  });

  it('opens 26257 on each region\'s nodes by CIDR from the other regions\' CockroachDB VPCs only (ingress and egress), never by security group', () => {
    const cidrs: Record<string, string> = { 'us-east-1': '10.10.0.0/16', 'us-east-2': '10.11.0.0/16', 'us-west-2': '10.12.0.0/16' };
    for (const region of REGIONS) {
      for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
        const crossRegion = resources(`cockroach-${region}`, type).filter((r) => /inter-region peering/.test(String(r['description'])));
        expect(crossRegion.map((r) => [r['cidr_ipv4'], r['from_port'], r['to_port'], r['ip_protocol']]).sort()).toEqual(
          REGIONS.filter((r) => r !== region).map((r) => [cidrs[r], 26257, 26257, 'tcp']).sort(),
        );
        for (const rule of crossRegion) {
          expect(rule['referenced_security_group_id']).toBeUndefined();
          expect(rule['security_group_id']).toMatch(/aws_security_group\.security-groups_nodes_/);
        }
      }
    }
  });

  it('passes the policy gate on every stack, with every region\'s VPCs declared (and fails closed without them)', () => {
    expect(result.policy.flatMap((report) => report.findings.filter((f) => f.severity === 'error'))).toEqual([]);
    const context = multiRegionPolicyContext(config);
    const document = new StackDocument('cockroach-us-east-2', stack('cockroach-us-east-2') as never);
    expect(evaluatePack(document, CRDB_ORY_PACK, context).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const undeclared = evaluatePack(document, CRDB_ORY_PACK, { ...context, vpcs: context.vpcs.filter((vpc) => vpc.cidr !== '10.10.0.0/16') });
    expect(undeclared.findings.map((f) => f.ruleId)).toContain(COCKROACH_PORTS_INTERNAL.id);
  });

  it('names the other regions\' IAM roles apart from the primary region\'s (IAM names are per account, not per region)', () => {
    const roleNames = REGIONS.flatMap((region) => [...resources(`cockroach-${region}`, 'aws_iam_role'), ...resources(`eks-${region}`, 'aws_iam_role')].map((r) => String(r['name'])));
    expect(new Set(roleNames).size).toBe(roleNames.length);
  });
});

describe('the multi-region app\'s private names', () => {
  it('gives each region a zone of its own name, which ignores its in-line VPC list (others are associated from the global stack)', () => {
    const zones = REGIONS.map((region) => resources(`network-${region}`, 'aws_route53_zone')[0]);
    expect(zones.map((zone) => zone?.['name'])).toEqual(['crdb-ory.internal', 'us-east-2.crdb-ory.internal', 'us-west-2.crdb-ory.internal']);
    for (const zone of zones) expect(zone?.['lifecycle']).toEqual({ ignore_changes: ['vpc'] });
  });

  it('associates every region\'s zone with both VPCs of every other region, each with its VPC\'s region', () => {
    const associations = resources('inter-region', 'aws_route53_zone_association').map((a) => [/remote-state-(network-[a-z0-9-]+)\.outputs\.private_zone_id/.exec(a['zone_id'])?.[1], a['vpc_region'], /outputs\.(cockroach|ory)_vpc_id/.exec(a['vpc_id'])?.[1], /remote-state-network-([a-z0-9-]+)\.outputs/.exec(a['vpc_id'])?.[1]]);
    expect(associations.sort()).toEqual(
      REGIONS.flatMap((zone) => REGIONS.filter((r) => r !== zone).flatMap((vpc) => ['cockroach', 'ory'].map((name) => [`network-${zone}`, vpc, name, vpc]))).sort(),
    );
  });
});

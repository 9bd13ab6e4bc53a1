import { ValidationError, formatPropProblem } from '@crdb-ory/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PlannedVpc, vpcCidrPlanProblems } from '../src';
import { MULTI_REGION_PLAN } from './fixtures';

const DEFAULT_PLAN = MULTI_REGION_PLAN;

function withCidr(prop: string, cidr: string): PlannedVpc[] {
  return DEFAULT_PLAN.map((vpc) => (vpc.prop === prop ? { ...vpc, cidr } : vpc));
}

describe('vpcCidrPlanProblems', () => {
  it('accepts the six disjoint default blocks of three regions', () => {
    expect(vpcCidrPlanProblems(DEFAULT_PLAN)).toEqual([]);
  });

  it('accepts adjacent blocks (one ends at the address before the next begins) and refuses the first overlapping address', () => {
    const plan = (last: string): PlannedVpc[] => [
      { prop: 'a', region: 'us-east-1', role: 'cockroach', cidr: '10.10.0.0/17' },
      { prop: 'b', region: 'us-east-2', role: 'cockroach', cidr: '10.10.128.0/17' },
      { prop: 'c', region: 'us-west-2', role: 'cockroach', cidr: last },
    ];
    expect(vpcCidrPlanProblems(plan('10.9.255.240/28'))).toEqual([]);
    expect(vpcCidrPlanProblems(plan('10.11.0.0/16'))).toEqual([]);
    expect(vpcCidrPlanProblems(plan('10.10.127.240/28')).map((p) => [p.prop, p.message.split(' (')[0]])).toEqual([['c', 'lies inside a 10.10.0.0/17']]);
    expect(vpcCidrPlanProblems(plan('10.10.128.0/28')).map((p) => [p.prop, p.message.split(' (')[0]])).toEqual([['c', 'lies inside b 10.10.128.0/17']]);
  });

  it('refuses two CockroachDB VPCs of the mesh with the same block, naming both settings and both blocks, why, and a free block', () => {
    expect(vpcCidrPlanProblems(withCidr('us-east-2.cockroachVpcCidr', '10.10.0.0/16'))).toEqual([
      {
        prop: 'us-east-2.cockroachVpcCidr',
        value: '10.10.0.0/16',
        message:
          'is the same block as us-east-1.cockroachVpcCidr 10.10.0.0/16 (the CockroachDB VPC of us-east-1); the two are peered, and AWS refuses a peering between VPCs whose IPv4 blocks overlap. ' +
          'Allowed: a block that overlaps none of the 6 VPCs, e.g. 10.0.0.0/16',
      },
    ]);
  });

  it('refuses a /16 that contains another VPC\'s /24, and a /24 inside another VPC\'s /16', () => {
    const containing = vpcCidrPlanProblems(withCidr('us-east-1.cockroachVpcCidr', '10.12.5.0/24'));
    expect(containing.map((p) => [p.prop, p.value])).toEqual([['us-west-2.cockroachVpcCidr', '10.12.0.0/16']]);
    expect(containing[0]?.message).toMatch(/^contains us-east-1\.cockroachVpcCidr 10\.12\.5\.0\/24 \(the CockroachDB VPC of us-east-1\); the two are peered/);
    expect(containing[0]?.message).toMatch(/e\.g\. 10\.0\.0\.0\/16$/);

    const inside = vpcCidrPlanProblems(withCidr('us-west-2.cockroachVpcCidr', '10.10.7.0/24'));
    expect(inside.map((p) => [p.prop, p.value])).toEqual([['us-west-2.cockroachVpcCidr', '10.10.7.0/24']]);
    expect(inside[0]?.message).toMatch(/^lies inside us-east-1\.cockroachVpcCidr 10\.10\.0\.0\/16 \(the CockroachDB VPC of us-east-1\)/);
    // The suggestion has the offending block's own size.
    expect(inside[0]?.message).toMatch(/e\.g\. 10\.0\.0\.0\/24$/);
  });

  it('refuses a region\'s Ory VPC overlapping its own CockroachDB VPC (peered in the region)', () => {
    const [problem, ...rest] = vpcCidrPlanProblems(withCidr('us-east-1.oryVpcCidr', '10.10.128.0/17'));
    expect(rest).toEqual([]);
    expect(problem?.prop).toBe('us-east-1.oryVpcCidr');
    expect(problem?.message).toMatch(/^lies inside us-east-1\.cockroachVpcCidr 10\.10\.0\.0\/16 \(the CockroachDB VPC of us-east-1\); the two are peered/);
  });

  it('refuses overlaps between VPCs that are not peered (two regions\' Ory VPCs; an Ory VPC and another region\'s CockroachDB VPC)', () => {
    const oryOry = vpcCidrPlanProblems(withCidr('us-west-2.oryVpcCidr', '10.20.0.0/16'));
    expect(oryOry).toHaveLength(1);
    expect(oryOry[0]?.message).toMatch(/^is the same block as us-east-1\.oryVpcCidr 10\.20\.0\.0\/16 \(the Ory VPC of us-east-1\); every VPC of a multi-region deployment needs a block of its own/);
    const crossed = vpcCidrPlanProblems(withCidr('us-west-2.oryVpcCidr', '10.11.0.0/16'));
    expect(crossed.map((p) => [p.prop, p.message.split(';')[0]])).toEqual([['us-west-2.oryVpcCidr', 'is the same block as us-east-2.cockroachVpcCidr 10.11.0.0/16 (the CockroachDB VPC of us-east-2)']]);
  });

  it('reports every overlapping pair once, under the later VPC, and suggests a block free of all six', () => {
    const plan = DEFAULT_PLAN.map((vpc) => (vpc.role === 'cockroach' ? { ...vpc, cidr: '10.0.0.0/16' } : vpc));
    const problems = vpcCidrPlanProblems(plan);
    expect(problems.map((p) => p.prop)).toEqual(['us-east-2.cockroachVpcCidr', 'us-west-2.cockroachVpcCidr', 'us-west-2.cockroachVpcCidr']);
    expect(problems[2]?.message).toMatch(/^is the same block as us-east-2\.cockroachVpcCidr/);
    for (const problem of problems) expect(problem.message).toMatch(/e\.g\. 10\.1\.0\.0\/16$/);
  });

  it('suggests a free block in the same private range as the offending one', () => {
    const plan: PlannedVpc[] = [
      { prop: 'a', region: 'us-east-1', role: 'cockroach', cidr: '172.16.0.0/16' },
      { prop: 'b', region: 'us-east-2', role: 'cockroach', cidr: '172.16.0.0/16' },
    ];
    expect(vpcCidrPlanProblems(plan)[0]?.message).toMatch(/e\.g\. 172\.17\.0\.0\/16$/);
  });

  it('suggests nothing when the range holds no free block of that size', () => {
    const plan: PlannedVpc[] = [
      { prop: 'a', region: 'us-east-1', role: 'cockroach', cidr: '192.168.0.0/16' },
      { prop: 'b', region: 'us-east-2', role: 'cockroach', cidr: '192.168.0.0/16' },
    ];
    expect(vpcCidrPlanProblems(plan)[0]?.message).toMatch(/Allowed: a block that overlaps none of the 2 VPCs$/);
  });

  it.each([
    ['10.10.0.0', 'is not an IPv4 CIDR block (expected a.b.c.d/n)'],
    ['10.10.0.0/16 ', 'is not an IPv4 CIDR block (expected a.b.c.d/n)'],
    ['', 'is not an IPv4 CIDR block (expected a.b.c.d/n)'],
    ['10.256.0.0/16', 'has an octet above 255'],
    ['10.10.0.0/33', 'has a prefix length above 32'],
    ['10.10.1.0/16', 'has host bits set (the network address is 10.10.0.0/16)'],
    ['fd00::/48', 'is not an IPv4 CIDR block (expected a.b.c.d/n)'],
  ])('reports %j as a problem under its prop, never a throw', (cidr, error) => {
    const problems = vpcCidrPlanProblems(withCidr('us-east-2.oryVpcCidr', cidr));
    expect(problems).toEqual([{ prop: 'us-east-2.oryVpcCidr', value: cidr, message: `${error}; expected an IPv4 CIDR block like 10.10.0.0/16` }]);
  });

  it('checks the overlaps of the blocks that parse when another does not', () => {
    const plan = withCidr('us-east-2.oryVpcCidr', 'nonsense').map((vpc) => (vpc.prop === 'us-west-2.oryVpcCidr' ? { ...vpc, cidr: '10.21.0.0/16' } : vpc));
    expect(vpcCidrPlanProblems(plan)).toEqual([{ prop: 'us-east-2.oryVpcCidr', value: 'nonsense', message: 'is not an IPv4 CIDR block (expected a.b.c.d/n); expected an IPv4 CIDR block like 10.10.0.0/16' }]);
    const both = withCidr('us-east-2.oryVpcCidr', 'nonsense').map((vpc) => (vpc.prop === 'us-west-2.oryVpcCidr' ? { ...vpc, cidr: '10.20.0.0/20' } : vpc));
    expect(vpcCidrPlanProblems(both).map((p) => p.prop)).toEqual(['us-east-2.oryVpcCidr', 'us-west-2.oryVpcCidr']);
  });

  it('refuses a second CockroachDB or Ory VPC in one region', () => {
    const plan: PlannedVpc[] = [...DEFAULT_PLAN, { prop: 'extra', region: 'us-east-2', role: 'cockroach', cidr: '10.13.0.0/16' }];
    expect(vpcCidrPlanProblems(plan)).toEqual([
      { prop: 'extra', value: '10.13.0.0/16', message: 'is a second CockroachDB VPC in us-east-2 (the first is us-east-2.cockroachVpcCidr); a region has one of each, and the mesh peers one CockroachDB VPC per region' },
    ]);
    const twoOry: PlannedVpc[] = [...DEFAULT_PLAN, { prop: 'extra', region: 'us-west-2', role: 'ory', cidr: '10.23.0.0/16' }];
    expect(vpcCidrPlanProblems(twoOry).map((p) => p.message)).toEqual([expect.stringMatching(/^is a second Ory VPC in us-west-2 \(the first is us-west-2\.oryVpcCidr\)/)]);
  });

  it('refuses an Ory VPC in a region without a CockroachDB VPC (it has nothing to be peered with)', () => {
    const plan = DEFAULT_PLAN.filter((vpc) => vpc.prop !== 'us-west-2.cockroachVpcCidr');
    expect(vpcCidrPlanProblems(plan)).toEqual([
      { prop: 'us-west-2.oryVpcCidr', value: '10.22.0.0/16', message: 'is the Ory VPC of us-west-2, which has no CockroachDB VPC; each Ory VPC is peered with the CockroachDB VPC of its own region (Ory\'s DSN names that region\'s load balancer)' },
    ]);
  });

  it('refuses VPCs of two partitions, under the region\'s prop when given', () => {
    const plan: PlannedVpc[] = [DEFAULT_PLAN[0] as PlannedVpc, { prop: 'cn.cockroachVpcCidr', regionProp: 'cn.region', region: 'cn-north-1', role: 'cockroach', cidr: '10.13.0.0/16' }];
    expect(vpcCidrPlanProblems(plan)).toEqual([
      { prop: 'cn.region', value: 'cn-north-1', message: 'puts this VPC in partition aws-cn, but us-east-1.cockroachVpcCidr is in us-east-1, partition aws; the private zone and the peerings join VPCs of one partition only' },
    ]);
  });

  it('accepts an empty plan and a single-region plan', () => {
    expect(vpcCidrPlanProblems([])).toEqual([]);
    expect(vpcCidrPlanProblems(DEFAULT_PLAN.slice(0, 2))).toEqual([]);
  });

  it('gives problems a construct can throw as one ValidationError, and the app can format', () => {
    const problems = vpcCidrPlanProblems(withCidr('us-east-2.cockroachVpcCidr', '10.10.0.0/16'));
    expect(new ValidationError('app', problems).message).toContain(formatPropProblem(problems[0] as never));
    expect(formatPropProblem(problems[0] as never)).toMatch(/^us-east-2\.cockroachVpcCidr = "10\.10\.0\.0\/16": is the same block as/);
  });
});

describe('the proposed defaults of docs/network.md', () => {
  it('are the plan these tests accept, region by region', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/network.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Multi-region'), doc.indexOf('## Tests'));
    const rows = [...section.matchAll(/^\| ([a-z0-9-]+)(?: \(primary\))? \| ([0-9./]+) \| ([0-9./]+) \|$/gm)].map((m) => m.slice(1, 4));
    expect(rows).toEqual(['us-east-1', 'us-east-2', 'us-west-2'].map((region) => [region, ...DEFAULT_PLAN.filter((vpc) => vpc.region === region).map((vpc) => vpc.cidr)]));
  });
});

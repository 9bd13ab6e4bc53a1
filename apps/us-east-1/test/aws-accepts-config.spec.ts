import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { deployableIssuesOf as issuesOf, withOperatorAccess } from './helpers';

/** Settings AWS would refuse (or mishandle) at apply time are config errors naming the setting, the value and what is allowed. */
describe('configuration: what AWS accepts (issue 12 item 17)', () => {
  it.each([
    ['/8', '10.0.0.0/8'],
    ['/12', '10.16.0.0/12'],
    ['/29', '10.10.0.0/29'],
  ])('refuses a %s VPC CIDR (AWS allows /16 to /28)', (_, cidr) => {
    expect(issuesOf({ network: { cockroachVpc: { cidr } } })).toContain(`network.cockroachVpc.cidr: must have a prefix length from /16 to /28 (AWS VPC limits; /16 is the largest)`);
    expect(issuesOf({ network: { oryVpc: { cidr } } })).toContain(`network.oryVpc.cidr: must have a prefix length from /16 to /28 (AWS VPC limits; /16 is the largest)`);
  });

  it.each(['us-east-1x', 'us-east-1g', 'us-east-1', 'us-east-1aa'])('refuses the malformed availability zone %s', (az) => {
    expect(issuesOf({ availabilityZones: ['us-east-1a', 'us-east-1b', az] })).toContain(
      'availabilityZones[2]: is not an availability zone of us-east-1; us-east-1 has us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f',
    );
  });

  it('accepts every AZ letter a region has (a to f)', () => {
    expect(issuesOf({ availabilityZones: ['us-east-1d', 'us-east-1e', 'us-east-1f'] })).toEqual([]);
  });

  it.each([
    [{ 'aws:createdBy': 'me' }, 'tags.aws:createdBy: is a tag key with the reserved prefix "aws:", which AWS refuses'],
    [{ 'AWS:Team': 'x' }, 'tags.AWS:Team: is a tag key with the reserved prefix "aws:", which AWS refuses'],
    [{ 'cost#center': '42' }, 'tags.cost#center: is a tag key with characters AWS refuses; allowed: letters, digits, spaces and _ . : / = + - @'],
    [{ Owner: 'team<platform>' }, 'tags.Owner: is a tag value with characters AWS refuses; allowed: letters, digits, spaces and _ . : / = + - @'],
    [{ Team: 'a', team: 'b' }, 'tags.team: differs from the tag key "Team" only in case; IAM treats tag keys case-insensitively and would refuse both'],
  ])('refuses the tags %j', (tags, issue) => {
    expect(issuesOf({ tags })).toContain(issue);
  });

  it('refuses tag keys and values longer than AWS allows, and too many tags', () => {
    expect(issuesOf({ tags: { ['k'.repeat(129)]: 'v' } })).toContainEqual(expect.stringMatching(/^tags\.k{129}: must be a tag key of 1 to 128 characters, as AWS allows$/));
    expect(issuesOf({ tags: { '': 'v' } })).toContain('tags.: must be a tag key of 1 to 128 characters, as AWS allows');
    expect(issuesOf({ tags: { Team: 'v'.repeat(257) } })).toContain('tags.Team: is a tag value longer than the 256 characters AWS allows');
    expect(issuesOf({ tags: { ['k'.repeat(128)]: 'v'.repeat(256) } })).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`Tag${i}`, 'x']));
    expect(issuesOf({ tags: many })).toContain('tags: must hold at most 45 tags: AWS allows 50 per resource and the stacks add up to 4 of their own');
  });

  it('accepts tags AWS accepts: unicode letters, spaces and the allowed punctuation', () => {
    expect(issuesOf({ tags: { 'Cost Center': 'Équipe plateforme', 'app.kubernetes.io/part-of': 'ory', Contact: 'ops@example.com', Expr: 'a=b+c:d_e-f' } })).toEqual([]);
  });

  it.each([
    // cn-northwest-1: moto 5.2.1's zone data, which the rule reads, knows only cn-north-1a and cn-north-1b.
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('accepts %s (partition %s) and refuses admin ARNs of another partition', (region, partition) => {
    const base = { region, availabilityZones: [`${region}a`, `${region}b`, `${region}c`] };
    expect(issuesOf(base)).toEqual([]);
    expect(issuesOf({ ...base, eks: { adminPrincipalArns: ['arn:aws:iam::123456789012:role/Admin'] } })).toEqual([
      `eks.adminPrincipalArns[0]: must be in the partition of region ${region} (arn:${partition}:iam::...)`,
    ]);
    expect(resolveConfig(withOperatorAccess({ ...base, eks: { adminPrincipalArns: [`arn:${partition}:iam::123456789012:role/Admin`] } })).region).toBe(region);
  });
});

import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformVariable } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import { SG_NO_WORLD_INGRESS, declarePublicIngress } from '../src';
import { findings } from './fixture';

const ingress = (fromPort: number, toPort: number, cidrBlocks: string[]) => ({ fromPort, toPort, protocol: 'tcp', cidrBlocks });

describe('CRDB-SG-001 no ingress from the world', () => {
  it('passes a group open only to a VPC CIDR', () => {
    expect(findings(SG_NO_WORLD_INGRESS, (s) => new SecurityGroup(s, 'sg', { ingress: [ingress(443, 443, ['10.20.0.0/16'])] }))).toEqual([]);
  });

  it('fails 0.0.0.0/0 on 26257 in an inline ingress block, naming the resource path', () => {
    const result = findings(SG_NO_WORLD_INGRESS, (s) => new SecurityGroup(s, 'sg', { ingress: [ingress(26257, 26257, ['0.0.0.0/0'])] }));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ ruleId: 'CRDB-SG-001', constructPath: 'fixture/sg' });
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('0.0.0.0/0 on port 26257');
  });

  it('fails ::/0 in a standalone rule and in a VPC ingress rule', () => {
    const result = findings(SG_NO_WORLD_INGRESS, (s) => {
      new SecurityGroupRule(s, 'rule', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 22, toPort: 22, protocol: 'tcp', ipv6CidrBlocks: ['::/0'] });
      new VpcSecurityGroupIngressRule(s, 'vpc-rule', { securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' });
    });
    expect(result.map((f) => f.address)).toEqual([expect.stringMatching(/^aws_security_group_rule\./), expect.stringMatching(/^aws_vpc_security_group_ingress_rule\./)]);
    assert.exists(result[1], 'a second finding');
    expect(result[1].message).toContain('all ports');
  });

  it('passes 80/443 from the world when declared public, and still fails other ports of that group', () => {
    const result = findings(SG_NO_WORLD_INGRESS, (s) => {
      const sg = new SecurityGroup(s, 'lb', { ingress: [ingress(80, 80, ['0.0.0.0/0']), ingress(443, 443, ['0.0.0.0/0', '::/0']), ingress(8443, 8443, ['0.0.0.0/0'])] });
      declarePublicIngress(sg, [80, 443], 'public Ory endpoints behind the ALB');
    });
    expect(result).toHaveLength(1);
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('port 8443');
  });

  it('refuses to declare a port other than 80/443 public', () => {
    expect(() => findings(SG_NO_WORLD_INGRESS, (s) => declarePublicIngress(s, [26257], 'want the database public'))).toThrow(/allowed: 80, 443/);
  });

  it('fails closed on a CIDR it cannot evaluate', () => {
    const result = findings(SG_NO_WORLD_INGRESS, (s) => {
      const cidr = new TerraformVariable(s, 'cidr', { type: 'string' });
      new SecurityGroup(s, 'sg', { ingress: [ingress(443, 443, [cidr.stringValue])] });
    });
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('cannot be evaluated');
  });
});

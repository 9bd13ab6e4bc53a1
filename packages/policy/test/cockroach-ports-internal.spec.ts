import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { DataTerraformRemoteStateLocal } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import { COCKROACH_PORTS_INTERNAL } from '../src';
import { CONTEXT, findings } from './fixture';

const ADMIN = { ...CONTEXT, adminNetworks: [{ cidr: '192.168.0.0/24', ports: [8080], declaredBy: 'cockroach.adminCidrs' }] };

describe('CRDB-SG-002 CockroachDB ports only from the CockroachDB and Ory VPCs', () => {
  it('passes the network contract CIDRs, literal CIDRs inside the VPCs, and a security group', () => {
    const result = findings(COCKROACH_PORTS_INTERNAL, (s) => {
      const network = new DataTerraformRemoteStateLocal(s, 'remote-state-network', { path: 'n.tfstate' });
      new SecurityGroup(s, 'nodes', {
        ingress: [
          { fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: [network.getString('cockroach_vpc_cidr'), network.getString('ory_vpc_cidr')] },
          { fromPort: 8080, toPort: 8080, protocol: 'tcp', cidrBlocks: network.getList('cockroach_private_subnet_cidrs') },
          { fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: ['10.20.16.0/20'] },
        ],
      });
      new SecurityGroupRule(s, 'from-eks', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 26257, toPort: 26257, protocol: 'tcp', sourceSecurityGroupId: 'sg-eks' });
    });
    expect(result).toEqual([]);
  });

  it('fails 26257 open to the world', () => {
    const result = findings(COCKROACH_PORTS_INTERNAL, (s) => new SecurityGroup(s, 'nodes', { ingress: [{ fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] }));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ ruleId: 'CRDB-SG-002', address: expect.stringMatching(/^aws_security_group\.nodes/) });
  });

  it('fails 8080 from a private CIDR outside both VPCs, and an all-ports rule that includes them', () => {
    const result = findings(COCKROACH_PORTS_INTERNAL, (s) => {
      new SecurityGroup(s, 'console', { ingress: [{ fromPort: 8080, toPort: 8080, protocol: 'tcp', cidrBlocks: ['192.168.0.0/16'] }] });
      new SecurityGroupRule(s, 'all', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['172.16.0.0/12'] });
    });
    expect(result.map((f) => f.message)).toEqual([expect.stringContaining('8080 open to 192.168.0.0/16'), expect.stringContaining('26257, 8080 open to 172.16.0.0/12')]);
  });

  it('fails closed on an output of another remote state it does not know', () => {
    const result = findings(COCKROACH_PORTS_INTERNAL, (s) => {
      const other = new DataTerraformRemoteStateLocal(s, 'remote-state-other', { path: 'o.tfstate' });
      new SecurityGroup(s, 'nodes', { ingress: [{ fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: [other.getString('some_cidr')] }] });
    });
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('cannot be evaluated');
  });

  it('accepts a declared admin network (a VPN outside both VPCs) on the ports it is declared for, and a CIDR inside it', () => {
    const result = findings(
      COCKROACH_PORTS_INTERNAL,
      (s) => new SecurityGroup(s, 'console', { ingress: [{ fromPort: 8080, toPort: 8080, protocol: 'tcp', cidrBlocks: ['192.168.0.0/24', '192.168.0.128/25'] }] }),
      ADMIN,
    );
    expect(result).toEqual([]);
  });

  it('still fails a declared admin network on SQL (26257), on an all-ports rule, a wider CIDR, or without the declaration', () => {
    const build = (s: Parameters<Parameters<typeof findings>[1]>[0]): void => {
      new SecurityGroup(s, 'sql', { ingress: [{ fromPort: 26257, toPort: 26257, protocol: 'tcp', cidrBlocks: ['192.168.0.0/24'] }] });
      new SecurityGroupRule(s, 'all', { type: 'ingress', securityGroupId: 'sg-1', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['192.168.0.0/24'] });
      new SecurityGroup(s, 'wider', { ingress: [{ fromPort: 8080, toPort: 8080, protocol: 'tcp', cidrBlocks: ['192.168.0.0/16'] }] });
    };
    expect(findings(COCKROACH_PORTS_INTERNAL, build, ADMIN).map((f) => f.message)).toEqual([
      expect.stringContaining('26257 open to 192.168.0.0/24'),
      expect.stringContaining('8080 open to 192.168.0.0/16'),
      expect.stringContaining('26257, 8080 open to 192.168.0.0/24'),
    ]);
    const undeclared = findings(COCKROACH_PORTS_INTERNAL, (s) => new SecurityGroup(s, 'console', { ingress: [{ fromPort: 8080, toPort: 8080, protocol: 'tcp', cidrBlocks: ['192.168.0.0/24'] }] }));
    expect(undeclared[0]?.fix).toContain('cockroach.adminCidrs');
  });

  it('never accepts the internet, even declared', () => {
    const world = { ...CONTEXT, adminNetworks: [{ cidr: '0.0.0.0/0', ports: [8080], declaredBy: 'test' }] };
    const result = findings(COCKROACH_PORTS_INTERNAL, (s) => new SecurityGroup(s, 'console', { ingress: [{ fromPort: 8080, toPort: 8080, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0', '203.0.113.0/24'] }] }), world);
    expect(result).toHaveLength(2);
  });
});

import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** One TCP port from a source: a CIDR block or another security group. */
export interface TcpRule {
  readonly port: number;
  readonly description: string;
  readonly cidr?: string;
  readonly securityGroupId?: string;
}

/** An ingress rule as its own resource, with a description (what the policy gate reads). */
export function allowIngress(scope: Construct, id: string, securityGroupId: string, rule: TcpRule): VpcSecurityGroupIngressRule {
  return new VpcSecurityGroupIngressRule(scope, id, {
    securityGroupId,
    ipProtocol: 'tcp',
    fromPort: rule.port,
    toPort: rule.port,
    description: rule.description,
    cidrIpv4: rule.cidr,
    referencedSecurityGroupId: rule.securityGroupId,
  });
}

export function allowEgress(scope: Construct, id: string, securityGroupId: string, rule: TcpRule): VpcSecurityGroupEgressRule {
  return new VpcSecurityGroupEgressRule(scope, id, {
    securityGroupId,
    ipProtocol: 'tcp',
    fromPort: rule.port,
    toPort: rule.port,
    description: rule.description,
    cidrIpv4: rule.cidr,
    referencedSecurityGroupId: rule.securityGroupId,
  });
}

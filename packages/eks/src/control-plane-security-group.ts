import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { throwIfProblems } from '@crdb-ory/core';
import { cidrBlockProblems } from './prop-problems';

export interface EksControlPlaneSecurityGroupProps {
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** Security group name. */
  readonly name: string;
  /**
   * Networks allowed to the private Kubernetes API endpoint on TCP 443 (VPN, bastion, peered network).
   * @default [] — the group admits nothing; the cluster security group still connects control plane and nodes
   */
  readonly apiClientCidrs?: readonly string[];
}

/** HTTPS: the Kubernetes API server behind the EKS endpoint. */
export const KUBERNETES_API_PORT = 443;

/**
 * The additional security group of the control-plane network interfaces (the cluster's
 * `vpc_config.security_group_ids`), which admits operator networks to the private API endpoint.
 * It is attached to the control plane only, never to nodes or pods, and is always created (empty
 * when nobody is listed), so adding a network later changes a rule, not the cluster. One rule per
 * CIDR, named after it: removing one network leaves the others alone.
 */
export class EksControlPlaneSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly ingressRules: VpcSecurityGroupIngressRule[];

  constructor(scope: Construct, id: string, props: EksControlPlaneSecurityGroupProps) {
    super(scope, id);
    const cidrs = props.apiClientCidrs ?? [];
    throwIfProblems(this, cidrBlockProblems('apiClientCidrs', cidrs));
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: props.name,
      description: 'EKS control plane: operator networks to the private Kubernetes API endpoint',
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    this.ingressRules = cidrs.map(
      (cidr) =>
        new VpcSecurityGroupIngressRule(this, `api-from-${cidr.replace(/[./]/g, '-')}`, {
          securityGroupId: this.securityGroup.id,
          description: `Kubernetes API (private endpoint) from ${cidr}`,
          ipProtocol: 'tcp',
          fromPort: KUBERNETES_API_PORT,
          toPort: KUBERNETES_API_PORT,
          cidrIpv4: cidr,
        }),
    );
  }
}

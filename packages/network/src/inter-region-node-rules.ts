import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

/**
 * CockroachDB's port for SQL and for all traffic between nodes. A node needs no other port of a
 * node in another region: "26257 for intra-cluster and client-cluster communication, 8080 to
 * expose your DB Console" (CockroachDB docs, "Deploy CockroachDB On-Premises", Requirements); the
 * console and the load balancer's health checks stay in their own region.
 */
export const COCKROACH_INTER_NODE_PORT = 26257;

/** The CockroachDB VPC of one region of the cluster. */
export interface RegionBlock {
  readonly region: string;
  /** The region's CockroachDB VPC CIDR (a literal, or a reference read through the network contract). */
  readonly cidr: string;
}

export interface InterRegionNodeRulesProps {
  /** The security group of this region's CockroachDB nodes. */
  readonly securityGroupId: string;
  /** This region; its own entry in `regions` is skipped (its nodes admit each other by security group). */
  readonly region: string;
  /** The CockroachDB VPC of every region of the cluster. */
  readonly regions: readonly RegionBlock[];
  /** TCP ports the nodes exchange across regions. @default [COCKROACH_INTER_NODE_PORT] */
  readonly ports?: readonly number[];
  /** The AWS provider of `region`. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
}

/**
 * The node-to-node rules between regions, by CIDR: for every other region and port, ingress from
 * and egress to that region's CockroachDB VPC (`from-<region>-<port>`, `to-<region>-<port>`,
 * stable when regions come and go). By CIDR because "You can't reference the security group of a
 * peer VPC that's in a different Region. Instead, use the CIDR block of the peer VPC" (Amazon VPC
 * Peering Guide, "Update your security groups to reference peer security groups"). A peer's
 * CockroachDB VPC holds only its nodes, their load balancer and VPC endpoints. The policy gate's
 * CRDB-SG-002 accepts a CockroachDB port's source only inside a VPC that `PolicyContext.vpcs`
 * declares, so the app declares every region's CockroachDB VPC there. Attaching these rules to
 * the nodes' security group is the cockroach stack's part.
 */
export class InterRegionNodeRules extends Construct {
  readonly ingress: VpcSecurityGroupIngressRule[] = [];
  readonly egress: VpcSecurityGroupEgressRule[] = [];

  constructor(scope: Construct, id: string, props: InterRegionNodeRulesProps) {
    super(scope, id);
    const provider = props.provider ? { provider: props.provider } : {};
    for (const peer of props.regions.filter((entry) => entry.region !== props.region)) {
      for (const port of props.ports ?? [COCKROACH_INTER_NODE_PORT]) {
        const rule = { securityGroupId: props.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: peer.cidr, ...provider };
        this.ingress.push(new VpcSecurityGroupIngressRule(this, `from-${peer.region}-${port}`, { ...rule, description: `CockroachDB nodes in ${peer.region} (inter-region peering)` }));
        this.egress.push(new VpcSecurityGroupEgressRule(this, `to-${peer.region}-${port}`, { ...rule, description: `CockroachDB nodes in ${peer.region} (inter-region peering)` }));
      }
    }
  }
}

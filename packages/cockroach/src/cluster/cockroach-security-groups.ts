import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { allowEgress, allowIngress } from './security-group-rules';

export interface CockroachSecurityGroupsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** CIDR of the Ory VPC: the only network whose clients reach SQL, and only through the load balancer. */
  readonly oryVpcCidr: string;
  /** Declared admin networks (VPN, bastion) allowed to the DB Console (8080) on the nodes; never SQL. */
  readonly adminCidrs: readonly string[];
}

/**
 * The node and load balancer security groups.
 *
 * Nodes: 26257 only from the other nodes and from the load balancer's security group; 8080 only
 * from the load balancer's security group (health checks) and the declared admin CIDRs. The
 * target group uses instance targets, so the NLB preserves client IPs; a node rule that
 * references the load balancer's security group still admits that traffic (AWS: "Referencing
 * the security group associated with your Network Load Balancer in the security groups
 * associated with your targets ensures that your targets accept traffic from your load balancer
 * even if you enable client IP preservation"), while a client that dials a node's IP directly
 * matches no rule. So nothing bypasses the NLB.
 *
 * Load balancer: 26257 from the Ory VPC only; egress to the nodes on 26257 and 8080 (health
 * checks obey the load balancer's outbound rules, not its inbound ones).
 *
 * Node egress: HTTPS (AWS APIs and Session Manager through the VPC endpoints, the release download through NAT) and 26257 to
 * the other nodes. Nothing is reachable from the internet.
 */
export class CockroachSecurityGroups extends Construct {
  readonly nodes: SecurityGroup;
  readonly loadBalancer: SecurityGroup;

  constructor(scope: Construct, id: string, props: CockroachSecurityGroupsProps) {
    super(scope, id);
    this.nodes = new SecurityGroup(this, 'nodes', {
      name: `${props.namePrefix}-cockroach-nodes`,
      description: 'CockroachDB nodes',
      vpcId: props.vpcId,
    });
    this.loadBalancer = new SecurityGroup(this, 'load-balancer', {
      name: `${props.namePrefix}-cockroach-sql-lb`,
      description: 'CockroachDB SQL load balancer',
      vpcId: props.vpcId,
    });
    this.nodeRules(props);
    this.loadBalancerRules(props);
  }

  private nodeRules(props: CockroachSecurityGroupsProps): void {
    const sg = this.nodes.id;
    const lb = this.loadBalancer.id;
    allowIngress(this, 'node-sql-from-nodes', sg, { port: SQL_PORT, securityGroupId: sg, description: 'SQL and inter-node traffic between CockroachDB nodes' });
    allowIngress(this, 'node-sql-from-lb', sg, { port: SQL_PORT, securityGroupId: lb, description: 'SQL through the load balancer (client IPs preserved; admitted by the load balancer security group)' });
    allowIngress(this, 'node-health-from-lb', sg, { port: HTTP_PORT, securityGroupId: lb, description: 'Load balancer health checks (/health?ready=1)' });
    props.adminCidrs.forEach((cidr, i) =>
      allowIngress(this, `node-http-from-admin-${i}`, sg, { port: HTTP_PORT, cidr, description: `DB Console from declared admin network ${cidr} (cockroach.adminCidrs)` }),
    );
    allowEgress(this, 'node-sql-to-nodes', sg, { port: SQL_PORT, securityGroupId: sg, description: 'Inter-node traffic' });
    allowEgress(this, 'node-https', sg, { port: 443, cidr: '0.0.0.0/0', description: 'AWS APIs through the VPC endpoints (Secrets Manager, SSM, CloudWatch) and the CockroachDB release download through NAT' });
  }

  private loadBalancerRules(props: CockroachSecurityGroupsProps): void {
    const sg = this.loadBalancer.id;
    allowIngress(this, 'lb-sql-from-ory', sg, { port: SQL_PORT, cidr: props.oryVpcCidr, description: 'SQL clients in the Ory VPC' });
    allowEgress(this, 'lb-sql-to-nodes', sg, { port: SQL_PORT, securityGroupId: this.nodes.id, description: 'SQL to the nodes' });
    allowEgress(this, 'lb-health-to-nodes', sg, { port: HTTP_PORT, securityGroupId: this.nodes.id, description: 'Health checks to the nodes' });
  }
}

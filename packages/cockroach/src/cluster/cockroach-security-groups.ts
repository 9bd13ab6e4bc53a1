import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { allowEgress, allowIngress } from './security-group-rules';

export interface CockroachSecurityGroupsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** CIDR of the CockroachDB VPC: NLB health checks to 8080 and in-VPC SQL clients through the NLB. */
  readonly cockroachVpcCidr: string;
  /** CIDR of the Ory VPC: the only other network that reaches SQL. */
  readonly oryVpcCidr: string;
  /** Extra CIDRs allowed to the DB Console / health endpoint (8080) only. */
  readonly adminCidrs: readonly string[];
}

/**
 * The node and load balancer security groups. SQL (26257) reaches nodes only from other
 * nodes, the NLB and the Ory VPC; 8080 only from inside the CockroachDB VPC and the admin
 * CIDRs. Nothing from the internet. Egress: HTTPS (AWS APIs, the release download) and the
 * cluster's own ports.
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
    allowIngress(this, 'node-sql-from-nodes', sg, { port: SQL_PORT, securityGroupId: sg, description: 'SQL and inter-node traffic between CockroachDB nodes' });
    allowIngress(this, 'node-sql-from-lb', sg, { port: SQL_PORT, securityGroupId: this.loadBalancer.id, description: 'SQL from the load balancer' });
    allowIngress(this, 'node-sql-from-ory', sg, { port: SQL_PORT, cidr: props.oryVpcCidr, description: 'SQL from the Ory VPC (client IPs preserved through the NLB)' });
    allowIngress(this, 'node-http-from-vpc', sg, { port: HTTP_PORT, cidr: props.cockroachVpcCidr, description: 'Health checks and DB Console from inside the CockroachDB VPC' });
    props.adminCidrs.forEach((cidr, i) =>
      allowIngress(this, `node-http-from-admin-${i}`, sg, { port: HTTP_PORT, cidr, description: `DB Console from admin network ${cidr}` }),
    );
    allowEgress(this, 'node-sql-to-nodes', sg, { port: SQL_PORT, securityGroupId: sg, description: 'Inter-node traffic' });
    allowEgress(this, 'node-https', sg, { port: 443, cidr: '0.0.0.0/0', description: 'AWS APIs (Secrets Manager, SSM) and the CockroachDB release download, through NAT' });
  }

  private loadBalancerRules(props: CockroachSecurityGroupsProps): void {
    const sg = this.loadBalancer.id;
    allowIngress(this, 'lb-sql-from-ory', sg, { port: SQL_PORT, cidr: props.oryVpcCidr, description: 'SQL clients in the Ory VPC' });
    allowIngress(this, 'lb-sql-from-vpc', sg, { port: SQL_PORT, cidr: props.cockroachVpcCidr, description: 'SQL clients in the CockroachDB VPC' });
    allowEgress(this, 'lb-sql-to-nodes', sg, { port: SQL_PORT, securityGroupId: this.nodes.id, description: 'SQL to the nodes' });
    allowEgress(this, 'lb-health-to-nodes', sg, { port: HTTP_PORT, securityGroupId: this.nodes.id, description: 'Health checks to the nodes' });
  }
}

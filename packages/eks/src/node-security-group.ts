import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Construct } from 'constructs';
import { throwIfProblems } from '@crdb-ory/core';
import { cidrBlockProblems, integerInRangeProblems } from './prop-problems';

/** CockroachDB's SQL port, through its load balancer. */
export const DEFAULT_DATABASE_PORT = 26257;

export interface EksNodeSecurityGroupProps {
  /** VPC of the nodes. */
  readonly vpcId: string;
  /** Security group name. */
  readonly name: string;
  /** CIDR blocks of the database the nodes (and pods) reach, e.g. the CockroachDB VPC. */
  readonly databaseCidrBlocks: readonly string[];
  /**
   * TCP port of the database load balancer.
   * @default 26257 — CockroachDB SQL
   */
  readonly databasePort?: number;
}


/**
 * The additional security group of the worker nodes (pods use the nodes' ENIs with the VPC CNI,
 * so their traffic carries it too): egress to the database on its port, no ingress rule.
 * Control-plane and node-to-node traffic is governed by the cluster security group EKS manages,
 * which the nodes also carry. The database side admits clients by network (CIDR), not by this
 * group: the stacks that own the two sides do not read each other.
 */
export class EksNodeSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: EksNodeSecurityGroupProps) {
    super(scope, id);
    const port = props.databasePort ?? DEFAULT_DATABASE_PORT;
    throwIfProblems(this, [...cidrBlockProblems('databaseCidrBlocks', props.databaseCidrBlocks), ...integerInRangeProblems('databasePort', port, 1, 65535)]);
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      name: props.name,
      description: 'EKS worker nodes and pods: egress to the database',
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    props.databaseCidrBlocks.forEach(
      (cidr, i) =>
        new VpcSecurityGroupEgressRule(this, `database-egress-${i}`, {
          securityGroupId: this.securityGroup.id,
          description: `Database (SQL) load balancer on ${port}`,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        }),
    );
  }
}

import { DataAwsEc2InstanceType } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type';
import { DataAwsInstance } from '@cdktf/provider-aws/lib/data-aws-instance';
import { DataAwsInstances } from '@cdktf/provider-aws/lib/data-aws-instances';
import { Fn, TerraformIterator, TerraformLocal, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { STANDARD_ON_DEMAND_FAMILIES } from './service-quotas';

export interface OnDemandStandardVcpusInUseProps {
  /**
   * The deployment's VPCs in the region (the CockroachDB VPC and the Ory VPC, from the network
   * stack's outputs): every instance running in them is the deployment's own (its CockroachDB
   * nodes, its EKS nodes), which the plan-time check counts at its peak itself, so the listing
   * leaves them out: on a re-plan, during a roll or a node update, and after a `namePrefix`
   * rename, which renames the instances but not the VPCs they run in.
   */
  readonly deploymentVpcIds: readonly string[];
}

/** Instance states that hold vCPUs of the quota: it counts running On-Demand instances, and a pending one is about to run. */
const LIVE_INSTANCE_STATES = ['pending', 'running'];

/**
 * What DescribeInstances' `instance-lifecycle` filter answers for instances that are not On-Demand:
 * "Indicates whether this is a Spot Instance, a Scheduled Instance, or a Capacity Block (spot |
 * scheduled | capacity-block)" (EC2 API Reference, DescribeInstances, Filter.N). An On-Demand
 * instance has no value, so it matches none of these.
 */
const NOT_ON_DEMAND_LIFECYCLES = ['spot', 'scheduled', 'capacity-block'];

/**
 * The standard On-Demand vCPUs the rest of the account runs in the stack's region, read at plan
 * time: the running and pending instances (DescribeInstances) less the deployment's own (those in
 * its VPCs) and those that are not On-Demand, each counted at its type's default vCPUs
 * (DescribeInstanceTypes) when its type draws on the standard quota (`STANDARD_ON_DEMAND_FAMILIES`).
 * What AWS counts in the quota's usage (Service Quotas' AWS/Usage metric) as far as the EC2 API
 * shows it; an instance another account or region runs is not in it, nor is one launched after
 * the plan, nor one that runs in the deployment's VPCs without being its own; one that terminates
 * between the listing and its own read fails the plan (plan again). The provider's
 * `aws_instance` makes six EC2 calls for each other instance: an account running hundreds pays
 * for them at each plan of the compute stacks.
 */
export class OnDemandStandardVcpusInUse extends Construct {
  /** The vCPUs in use by others, a numeric expression for `ServiceQuotaCheck`'s `usedByOthers`. */
  readonly vcpus: number;

  constructor(scope: Construct, id: string, props: OnDemandStandardVcpusInUseProps) {
    super(scope, id);
    const running = new DataAwsInstances(this, 'running', { instanceStateNames: LIVE_INSTANCE_STATES });
    const own = new DataAwsInstances(this, 'own', { instanceStateNames: LIVE_INSTANCE_STATES, filter: [{ name: 'vpc-id', values: [...props.deploymentVpcIds] }] });
    const notOnDemand = new DataAwsInstances(this, 'not-on-demand', { instanceStateNames: LIVE_INSTANCE_STATES, filter: [{ name: 'instance-lifecycle', values: NOT_ON_DEMAND_LIFECYCLES }] });
    const others = TerraformIterator.fromList(Fn.setsubtract(running.ids, Fn.concat([own.ids, notOnDemand.ids])));
    const instances = new DataAwsInstance(this, 'other-instance', { forEach: others, instanceId: others.value });
    const stack = TerraformStack.of(this);
    const standardTypes = `[for other in data.aws_instance.${stack.getLogicalId(instances)} : other.instance_type if can(regex("${STANDARD_ON_DEMAND_FAMILIES.covered}", other.instance_type)) && !can(regex("${STANDARD_ON_DEMAND_FAMILIES.excepted}", other.instance_type))]`;
    const types = new DataAwsEc2InstanceType(this, 'other-instance-type', { instanceType: '' });
    // for_each over the other instances' types: an expression cdktf's iterators cannot write, so set verbatim.
    types.addOverride('for_each', `\${toset(${standardTypes})}`);
    types.addOverride('instance_type', '${each.value}');
    const inUse = new TerraformLocal(this, 'vcpus', `\${sum(concat([0], [for type in ${standardTypes} : data.aws_ec2_instance_type.${stack.getLogicalId(types)}[type].default_vcpus]))}`);
    this.vcpus = Token.asNumber(inUse.asNumber);
  }
}

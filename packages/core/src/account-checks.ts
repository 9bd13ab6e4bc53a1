import { DataAwsEc2InstanceTypeOfferings } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings';
import { DataAwsServicequotasServiceQuota } from '@cdktf/provider-aws/lib/data-aws-servicequotas-service-quota';
import { Fn, Op, TerraformLocal, TerraformSelf, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ServiceQuotaDefinition, quotaIncreaseHint } from './service-quotas';

/**
 * Plan-time checks against the real account, with the AWS provider's own data sources: each is a
 * postcondition of the data source that reads the account, so `terraform plan` stops with one
 * message (the setting, its value, the fix) before anything is created. Data sources are read at
 * plan time whenever their arguments are known, which these are.
 */
export interface ServiceQuotaCheckProps {
  readonly quota: ServiceQuotaDefinition;
  readonly region: string;
  /** Units this stack holds once applied (a number or a numeric Terraform expression token). */
  readonly needed: number;
  /**
   * Units in use by anything else in the account (a numeric expression token over data sources
   * that list the account's resources, minus the stack's own), so that a re-plan of a deployed
   * stack does not count its own resources twice. @default 0
   */
  readonly usedByOthers?: number;
  /** What needs the units, naming the setting and its value, e.g. `network.natGateways "ory-per-az" allocates 4 Elastic IPs`. */
  readonly what: string;
  /** Another way out besides a quota increase, e.g. `or set network.natGateways to "single" (2 Elastic IPs)`. @default none */
  readonly alternative?: string;
}

/** Stops the plan unless the quota, less what others use, leaves room for what this stack needs. */
export class ServiceQuotaCheck extends Construct {
  readonly quota: DataAwsServicequotasServiceQuota;

  constructor(scope: Construct, id: string, props: ServiceQuotaCheckProps) {
    super(scope, id);
    // cdktf's Op drops a literal 0 operand, so "nobody else" is no term at all rather than "+ 0".
    const others = props.usedByOthers;
    // The figure lives in a string local, not in the expressions, so a change of it (another
    // instance type) is one changed value, as plan reviews and the rollout rehearsal read it.
    const needed = Token.asNumber(Fn.tonumber(new TerraformLocal(this, 'needed', String(props.needed)).asString));
    const total = others === undefined ? needed : Op.add(others, needed);
    const value = TerraformSelf.getNumber('value');
    const othersClause = others === undefined ? '' : `, and ${asText(others)} are in use by other resources of the account: ${asText(total)} in all`;
    this.quota = new DataAwsServicequotasServiceQuota(this, 'quota', {
      serviceCode: props.quota.serviceCode,
      quotaCode: props.quota.quotaCode,
      lifecycle: {
        postcondition: [
          {
            condition: Op.gte(value, total),
            errorMessage: `${props.what}${othersClause}, but the quota ${props.quota.quotaCode} ("${props.quota.name}") of this account in ${props.region} is ${asText(value)}. ${capitalized(quotaIncreaseHint(props.quota, props.region, asText(total)))}${props.alternative ? `, ${props.alternative}` : ''}; then plan again.`,
          },
        ],
      },
    });
  }
}

export interface InstanceTypeOfferedCheckProps {
  /** The setting, e.g. `cockroach.instanceType`. */
  readonly setting: string;
  readonly instanceType: string;
  /** The availability zones the instances run in (a list token from remote state is fine). */
  readonly availabilityZones: string[];
}

/**
 * Stops the plan unless EC2 offers `instanceType` in every one of the zones
 * (`DescribeInstanceTypeOfferings` with location type `availability-zone`): an instance type can
 * exist and still not be offered in a zone (us-east-1e offers few current types).
 */
export class InstanceTypeOfferedCheck extends Construct {
  readonly offerings: DataAwsEc2InstanceTypeOfferings;

  constructor(scope: Construct, id: string, props: InstanceTypeOfferedCheckProps) {
    super(scope, id);
    const zones = props.availabilityZones;
    const missing = Fn.setsubtract(zones, TerraformSelf.getAny('locations'));
    this.offerings = new DataAwsEc2InstanceTypeOfferings(this, 'offerings', {
      locationType: 'availability-zone',
      filter: [
        { name: 'instance-type', values: [props.instanceType] },
        { name: 'location', values: zones },
      ],
      lifecycle: {
        postcondition: [
          {
            condition: Op.lt(Fn.lengthOf(missing), 1),
            errorMessage: `${props.setting} "${props.instanceType}" is not offered in ${Fn.join(', ', Fn.sort(Fn.tolist(missing)))} (EC2 DescribeInstanceTypeOfferings for this account): choose an instance type offered in every availability zone of availabilityZones (aws ec2 describe-instance-type-offerings --location-type availability-zone lists what each zone offers), or other availability zones; then plan again.`,
          },
        ],
      },
    });
  }
}

function asText(value: number): string {
  return Token.asString(Fn.tostring(value));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A Service Quotas quota the stacks consume, with the default value AWS documents for a fresh
 * account (what `GetAWSDefaultServiceQuota` answers) and where that is written.
 */
export interface ServiceQuotaDefinition {
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly name: string;
  readonly defaultValue: number;
  /** The AWS document that states `defaultValue`. */
  readonly source: string;
}

const VPC_QUOTAS_PAGE = 'AWS General Reference, "Amazon Virtual Private Cloud endpoints and quotas" (docs.aws.amazon.com/general/latest/gr/vpc-service.html)';

export const ELASTIC_IPS_QUOTA: ServiceQuotaDefinition = {
  serviceCode: 'ec2',
  quotaCode: 'L-0263D0A3',
  name: 'EC2-VPC Elastic IPs',
  defaultValue: 5,
  source: 'Amazon EC2 User Guide, "Elastic IP address quota" (5 per Region) and AWS General Reference, "Amazon EC2 endpoints and quotas" (docs.aws.amazon.com/general/latest/gr/ec2-service.html)',
};

export const ON_DEMAND_STANDARD_VCPUS_QUOTA: ServiceQuotaDefinition = {
  serviceCode: 'ec2',
  quotaCode: 'L-1216C47A',
  name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
  defaultValue: 5,
  source:
    'AWS CLI Command Reference and Service Quotas examples, `aws service-quotas get-aws-default-service-quota --service-code ec2 --quota-code L-1216C47A`, whose documented output is "Value": 5.0 (vCPUs; usage metric AWS/Usage ResourceCount, Resource vCPU, Class Standard/OnDemand)',
};

export const VPCS_QUOTA: ServiceQuotaDefinition = { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', name: 'VPCs per Region', defaultValue: 5, source: VPC_QUOTAS_PAGE };

export const NAT_GATEWAYS_PER_AZ_QUOTA: ServiceQuotaDefinition = {
  serviceCode: 'vpc',
  quotaCode: 'L-FE5A380F',
  name: 'NAT gateways per Availability Zone',
  defaultValue: 5,
  source: VPC_QUOTAS_PAGE,
};

export const INTERNET_GATEWAYS_QUOTA: ServiceQuotaDefinition = {
  serviceCode: 'vpc',
  quotaCode: 'L-A4707A72',
  name: 'Internet gateways per Region',
  defaultValue: 5,
  source: VPC_QUOTAS_PAGE,
};

export const INTERFACE_ENDPOINTS_PER_VPC_QUOTA: ServiceQuotaDefinition = {
  serviceCode: 'vpc',
  quotaCode: 'L-29B6F2EB',
  name: 'Interface VPC endpoints per VPC',
  defaultValue: 50,
  source: VPC_QUOTAS_PAGE,
};

/** The quotas the plan-time checks read, and the ones the quota test counts. */
export const PRODUCT_SERVICE_QUOTAS: readonly ServiceQuotaDefinition[] = [
  ELASTIC_IPS_QUOTA,
  ON_DEMAND_STANDARD_VCPUS_QUOTA,
  VPCS_QUOTA,
  NAT_GATEWAYS_PER_AZ_QUOTA,
  INTERNET_GATEWAYS_QUOTA,
  INTERFACE_ENDPOINTS_PER_VPC_QUOTA,
];

/** How to ask for more of `quota` in `region`, for error messages. */
export function quotaIncreaseHint(quota: ServiceQuotaDefinition, region: string, desiredValue: string | number): string {
  return `request an increase of ${quota.quotaCode} ("${quota.name}") to at least ${desiredValue} in ${region} (Service Quotas console, or aws service-quotas request-service-quota-increase --region ${region} --service-code ${quota.serviceCode} --quota-code ${quota.quotaCode} --desired-value ${desiredValue})`;
}

/**
 * The instance types the standard On-Demand vCPU quota covers, as two regular expressions over the
 * type's name (the same in JavaScript and in Terraform's `regex`, RE2): the quota's own name lists
 * the families, "(A, C, D, H, I, M, R, T, Z)"; HPC (hpc*) and Inferentia (inf*) families start with
 * those letters but have quotas of their own. `onDemandVcpuQuotaOf` and the plan-time count of the
 * account's running instances (`OnDemandStandardVcpusInUse`) both read them.
 */
export const STANDARD_ON_DEMAND_FAMILIES = { covered: '^[acdhimrtz]', excepted: '^(hpc|inf)' } as const;

/** The On-Demand vCPU quota an instance type counts against, when it is the standard one (`STANDARD_ON_DEMAND_FAMILIES`). */
export function onDemandVcpuQuotaOf(instanceType: string): ServiceQuotaDefinition | undefined {
  const family = instanceType.split('.')[0] ?? '';
  if (new RegExp(STANDARD_ON_DEMAND_FAMILIES.excepted).test(family)) return undefined;
  return new RegExp(STANDARD_ON_DEMAND_FAMILIES.covered).test(family) ? ON_DEMAND_STANDARD_VCPUS_QUOTA : undefined;
}

import { Ipv4Cidr, cidrContains, cidrsOverlap, isIpv4Cidr, logRetentionProblems, parseIpv4Cidr } from '@crdb-ory/core';
import { ORY_SERVICES, ketoNamespaceProblems, oryApiClientProblems, oryMemoryProblems, oryPoolProblems, oryPublicExposureProblems, oryUrlProblems, oryWorkloadProblems } from '@crdb-ory/ory';
import { oryStackProps } from '../ory-stack-props';
import { cockroachBackupRule, monitoringRule } from './backup-monitoring-rules';
import { cockroachSettingsRule, drainFitsOryPool, namePrefixFitsCockroachNames } from './cockroach-rules';
import { ConfigIssue, issuesOfProblems } from './config-error';
import { eksSettingsRule } from './eks-rules';
import type { VpcConfig } from './network-config';
import { placementProblems, vpcCidrPlanProblems } from '@crdb-ory/network';
import { cidrListsAccepted } from './cidr-list-rules';
import type { RuleContext } from './load-config';
import type { DeploymentConfig } from './schema';
import { tagsAccepted } from './tag-rules';

/** A rule over the whole (structurally valid) configuration; `context` says what else it may know (`RuleContext`). */
export type ConfigRule = (config: DeploymentConfig, context?: RuleContext) => ConfigIssue[];

export const AZ_COUNT = 3;

export const exactlyThreeAzs: ConfigRule = (config) =>
  config.availabilityZones.length === AZ_COUNT
    ? []
    : [{ setting: 'availabilityZones', value: config.availabilityZones, message: `must list exactly ${AZ_COUNT} availability zones, one per CockroachDB node` }];

/** A region and zones that exist (the network library's rule, from AWS's zone data). */
export const azsInRegion: ConfigRule = (config) =>
  issuesOfProblems(placementProblems(config.region, config.availabilityZones), { region: 'region', availabilityZones: 'availabilityZones' });

/** The two VPCs' blocks are disjoint: the network library's address-plan rule (it peers them). */
export const vpcCidrsDoNotOverlap: ConfigRule = (config) =>
  issuesOfProblems(
    vpcCidrPlanProblems([
      { prop: 'cockroachVpc', region: config.region, role: 'cockroach', cidr: config.network.cockroachVpc.cidr },
      { prop: 'oryVpc', region: config.region, role: 'ory', cidr: config.network.oryVpc.cidr },
    ]),
    { cockroachVpc: 'network.cockroachVpc.cidr', oryVpc: 'network.oryVpc.cidr' },
  );

/** AWS accepts VPC IPv4 blocks from /16 (65,536 addresses) to /28. */
export const vpcCidrSizeAccepted: ConfigRule = (config) =>
  (['cockroachVpc', 'oryVpc'] as const).flatMap((vpc) => {
    const cidr = parsed(config.network[vpc].cidr);
    return cidr && (cidr.prefixLength < 16 || cidr.prefixLength > 28)
      ? [{ setting: `network.${vpc}.cidr`, value: cidr.text, message: 'must have a prefix length from /16 to /28 (AWS VPC limits; /16 is the largest)' }]
      : [];
  });

export const subnetsFitTheirVpc: ConfigRule = (config) => [
  ...checkVpcSubnets('network.cockroachVpc', config.network.cockroachVpc),
  ...checkVpcSubnets('network.oryVpc', config.network.oryVpc),
];

/** Where the `OryStack` props the ory library's problems name live in the configuration. */
const ORY_SETTING_PATHS: Record<string, string> = {
  ...Object.fromEntries(ORY_SERVICES.flatMap((service) => (['replicas', 'memoryRequest', 'memoryLimit'] as const).map((prop) => [`${service}.${prop}`, `ory.${service}.${prop}`]))),
  hydraIssuerUrl: 'ory.hydra.issuerUrl',
  kratosPublicUrl: 'ory.kratos.publicUrl',
  publicAccessCidrs: 'publicAccessCidrs',
  exposeKetoReadApi: 'ory.keto.exposeReadApi',
  ketoNamespaces: 'ory.keto.namespaces',
  sqlMaxConns: 'ory.sql.maxConns',
  sqlMaxConnLifetimeSeconds: 'ory.sql.maxConnLifetimeSeconds',
  apiClients: 'ory.apiClients',
};

/**
 * The ory library's rules over the props the app builds from the configuration (workloads, the
 * https rule with a domain, the public load balancer, Keto's namespaces, the pool, the API
 * clients), each problem under its setting path. The CIDR lists, the EKS API access and the alarm
 * days are checked by their own rules (cidrListsAccepted, eksSettingsRule, monitoringRule).
 */
export const oryPropsAccepted: ConfigRule = (config) => {
  const props = oryStackProps(config);
  return issuesOfProblems(
    [...oryWorkloadProblems(props), ...oryMemoryProblems(props), ...oryUrlProblems(props), ...oryPublicExposureProblems(props), ...ketoNamespaceProblems(props), ...oryPoolProblems(props), ...oryApiClientProblems(props.apiClients ?? [])],
    ORY_SETTING_PATHS,
  );
};

/** Every log group's retention, by core's rule (the periods CloudWatch Logs accepts). */
export const logRetentionsAccepted: ConfigRule = (config) =>
  issuesOfProblems([...logRetentionProblems('flowLogsRetentionDays', config.network.flowLogsRetentionDays), ...logRetentionProblems('logRetentionInDays', config.eks.logRetentionDays)], {
    flowLogsRetentionDays: 'network.flowLogsRetentionDays',
    logRetentionInDays: 'eks.logRetentionDays',
  });

/** Every rule, in the order their messages are reported. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  exactlyThreeAzs,
  azsInRegion,
  tagsAccepted,
  vpcCidrSizeAccepted,
  vpcCidrsDoNotOverlap,
  subnetsFitTheirVpc,
  cockroachSettingsRule,
  drainFitsOryPool,
  cockroachBackupRule,
  monitoringRule,
  namePrefixFitsCockroachNames,
  eksSettingsRule,
  logRetentionsAccepted,
  oryPropsAccepted,
  cidrListsAccepted,
];

function checkVpcSubnets(prefix: string, vpc: VpcConfig): ConfigIssue[] {
  const vpcCidr = parsed(vpc.cidr);
  if (!vpcCidr) return [];
  const issues: ConfigIssue[] = [];
  const subnets: Array<{ setting: string; cidr: Ipv4Cidr }> = [];
  for (const tier of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
    const list = vpc[tier];
    if (list.length !== AZ_COUNT) {
      issues.push({ setting: `${prefix}.${tier}`, value: list, message: `must list exactly ${AZ_COUNT} subnets, one per availability zone in order` });
    }
    list.forEach((text, i) => {
      const cidr = parsed(text);
      if (cidr) subnets.push({ setting: `${prefix}.${tier}[${i}]`, cidr });
    });
  }
  for (const subnet of subnets) {
    if (!cidrContains(vpcCidr, subnet.cidr)) {
      issues.push({ setting: subnet.setting, value: subnet.cidr.text, message: `does not fit in its VPC ${vpcCidr.text}` });
    }
    if (subnet.cidr.prefixLength > 28 || subnet.cidr.prefixLength < 16) {
      issues.push({ setting: subnet.setting, value: subnet.cidr.text, message: 'must have a prefix length from /16 to /28 (AWS subnet limits)' });
    }
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      if (cidrsOverlap(a.cidr, b.cidr)) {
        issues.push({ setting: b.setting, value: b.cidr.text, message: `overlaps ${a.setting} ${a.cidr.text}` });
      }
    }),
  );
  return issues;
}

function parsed(text: string): Ipv4Cidr | undefined {
  const cidr = parseIpv4Cidr(text);
  return isIpv4Cidr(cidr) ? cidr : undefined;
}

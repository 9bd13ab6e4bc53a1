import { Ipv4Cidr, cidrContains, cidrsOverlap, isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import { ORY_SERVICES, memoryQuantityBytes, oryApiClientProblems, publicAccessCidrLimit } from '@crdb-ory/ory';
import { cockroachBackupRule, monitoringRule } from './backup-monitoring-rules';
import { cockroachSettingsRule, drainFitsOryPool, namePrefixFitsCockroachNames } from './cockroach-rules';
import type { ConfigIssue } from './config-error';
import { eksSettingsRule } from './eks-rules';
import type { VpcConfig } from './network-config';
import { placementProblems } from '@crdb-ory/network';
import { cidrListsAccepted } from './cidr-list-rules';
import type { DeploymentConfig } from './schema';
import { tagsAccepted } from './tag-rules';

/** A rule over the whole (structurally valid) configuration. */
export type ConfigRule = (config: DeploymentConfig) => ConfigIssue[];

export const AZ_COUNT = 3;

export const exactlyThreeAzs: ConfigRule = (config) =>
  config.availabilityZones.length === AZ_COUNT
    ? []
    : [{ setting: 'availabilityZones', value: config.availabilityZones, message: `must list exactly ${AZ_COUNT} availability zones, one per CockroachDB node` }];

/** A region and zones that exist (the network library's rule, from AWS's zone data). */
export const azsInRegion: ConfigRule = (config) =>
  placementProblems(config.region, config.availabilityZones).map((problem) => ({
    setting: problem.index === undefined ? problem.prop : `${problem.prop}[${problem.index}]`,
    value: problem.value,
    message: problem.message,
  }));

export const vpcCidrsDoNotOverlap: ConfigRule = (config) => {
  const a = parsed(config.network.cockroachVpc.cidr);
  const b = parsed(config.network.oryVpc.cidr);
  return a && b && cidrsOverlap(a, b)
    ? [{ setting: 'network.oryVpc.cidr', value: b.text, message: `overlaps network.cockroachVpc.cidr ${a.text}; peered VPCs need disjoint CIDR blocks` }]
    : [];
};

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

export const eksNodeGroupSizesOrdered: ConfigRule = (config) => {
  const { nodeMinSize: min, nodeDesiredSize: desired, nodeMaxSize: max } = config.eks;
  return min <= desired && desired <= max
    ? []
    : [{ setting: 'eks.nodeDesiredSize', value: { nodeMinSize: min, nodeDesiredSize: desired, nodeMaxSize: max }, message: 'must satisfy nodeMinSize <= nodeDesiredSize <= nodeMaxSize' }];
};

/** With a domain Ory runs in production mode, where Hydra refuses a non-https issuer. */
export const oryPublicUrlsHttpsWithDomain: ConfigRule = (config) => {
  if (!config.domain) return [];
  const urls = [
    { setting: 'ory.hydra.issuerUrl', value: config.ory.hydra.issuerUrl },
    { setting: 'ory.kratos.publicUrl', value: config.ory.kratos.publicUrl },
  ];
  return urls
    .filter((url) => url.value !== undefined && !url.value.startsWith('https://'))
    .map((url) => ({ ...url, message: 'must be an https URL when domain is set (production mode); http is only allowed without a domain' }));
};

/** Kubernetes refuses a pod whose memory request is above its limit. */
export const oryMemoryRequestWithinLimit: ConfigRule = (config) =>
  ORY_SERVICES.flatMap((service) => {
    const { memoryRequest, memoryLimit } = config.ory[service];
    const request = memoryQuantityBytes(memoryRequest);
    const limit = memoryQuantityBytes(memoryLimit);
    return request !== undefined && limit !== undefined && request > limit
      ? [{ setting: `ory.${service}.memoryRequest`, value: memoryRequest, message: `must not exceed ory.${service}.memoryLimit (${memoryLimit}): Kubernetes refuses a pod whose memory request is above its limit` }]
      : [];
  });

/** Each CIDR becomes a rule per listener port in the public load balancer's security group (60 rules by default). */
export const publicAccessCidrsFitTheLoadBalancer: ConfigRule = (config) => {
  const { limit, listenerPorts } = publicAccessCidrLimit({ domain: config.domain, exposeKetoReadApi: config.ory.keto.exposeReadApi });
  return config.publicAccessCidrs.length > limit
    ? [
        {
          setting: 'publicAccessCidrs',
          value: `${config.publicAccessCidrs.length} CIDRs`,
          message: `must list at most ${limit} CIDRs: the public load balancer's security group gets one rule per CIDR and listener port (${listenerPorts.join(', ')}) and holds 60 inbound rules (default quota); summarize them into fewer blocks`,
        },
      ]
    : [];
};

export const ketoNamespacesDistinct: ConfigRule = (config) =>
  new Set(config.ory.keto.namespaces).size === config.ory.keto.namespaces.length
    ? []
    : [{ setting: 'ory.keto.namespaces', value: config.ory.keto.namespaces, message: 'must not repeat a namespace' }];

export const ketoReadExposureNeedsPublicAccess: ConfigRule = (config) =>
  config.ory.keto.exposeReadApi && config.publicAccessCidrs.length === 0
    ? [{ setting: 'ory.keto.exposeReadApi', value: true, message: 'publishes through the public load balancer, which exists only when publicAccessCidrs lists at least one CIDR' }]
    : [];

/** The Ory library's own check of the API clients, each problem under its setting path. */
export const oryApiClientsAccepted: ConfigRule = (config) =>
  oryApiClientProblems(config.ory.apiClients, 'ory.apiClients').map((p) => ({ setting: p.prop, value: p.value, message: p.allowed }));

/** Every rule, in the order their messages are reported. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  exactlyThreeAzs,
  azsInRegion,
  tagsAccepted,
  vpcCidrSizeAccepted,
  vpcCidrsDoNotOverlap,
  subnetsFitTheirVpc,
  eksNodeGroupSizesOrdered,
  cockroachSettingsRule,
  drainFitsOryPool,
  cockroachBackupRule,
  monitoringRule,
  namePrefixFitsCockroachNames,
  eksSettingsRule,
  oryMemoryRequestWithinLimit,
  publicAccessCidrsFitTheLoadBalancer,
  oryPublicUrlsHttpsWithDomain,
  ketoNamespacesDistinct,
  ketoReadExposureNeedsPublicAccess,
  oryApiClientsAccepted,
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

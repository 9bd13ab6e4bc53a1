import { targetSurvivalGoal } from '@crdb-ory/cockroach';
import { CONFIG_RULES, type ConfigIssue, type RuleContext, issuesOfProblems, vpcCidrsDoNotOverlap } from '@crdb-ory/deployment';
import { vpcCidrPlanProblems } from '@crdb-ory/network';
import { oryMigrationRegionProblems } from '@crdb-ory/ory';
import { oryMigrationStacks } from '../stack-names';
import { oryMigrationRegionsOf, regionView } from './region-view';
import type { MultiRegionConfig } from './schema';

/** A rule over the whole (structurally valid) multi-region configuration. */
export type MultiRegionRule = (config: MultiRegionConfig, context: RuleContext) => ConfigIssue[];

/**
 * Every single-region rule, on each region as a single-region configuration (`regionView`), its
 * problems under the multi-region settings: `region`, `availabilityZones` and the VPCs of
 * `network` become `regions[i]....`. So every region has three zones of its own region, subnets
 * inside its VPCs, and every shared setting (cockroach, eks, ory, monitoring...) is checked by the
 * same rule as in the single-region app. The VPC overlap rule runs once over all regions instead
 * (`vpcPlanAccepted`).
 */
export const everyRegionAccepted: MultiRegionRule = (config, context) =>
  config.regions.flatMap((entry, i) => {
    const view = regionView(config, entry);
    const rename = (text: string) =>
      text
        .replace(/(?<![\w.[\]])network\.(cockroachVpc|oryVpc)/g, `regions[${i}].$1`)
        .replace(/(?<![\w.[\]])(region|availabilityZones)(?![\w])/g, (_, name: string) => `regions[${i}].${name}`);
    return CONFIG_RULES.filter((rule) => rule !== vpcCidrsDoNotOverlap)
      .flatMap((rule) => rule(view, context))
      .map((issue) => ({ ...issue, setting: rename(issue.setting), message: renameInMessage(issue.message, i) }));
  });

/** Setting names inside a message, in the multi-region file's terms. */
function renameInMessage(message: string, i: number): string {
  return message.replace(/(?<![\w.[\]])network\.(cockroachVpc|oryVpc)/g, `regions[${i}].$1`);
}

/** Each region once. */
export const regionsDistinct: MultiRegionRule = (config) =>
  config.regions.flatMap((entry, i) => {
    const first = config.regions.findIndex((other) => other.region === entry.region);
    return first === i ? [] : [{ setting: `regions[${i}].region`, value: entry.region, message: `is also regions[${first}].region; each region is listed once` }];
  });

/** The primary and the secondary region are two different regions of `regions`. */
export const primaryAndSecondaryAmongRegions: MultiRegionRule = (config) => {
  const listed = config.regions.map((entry) => entry.region);
  const issues: ConfigIssue[] = [];
  for (const setting of ['primaryRegion', 'secondaryRegion'] as const) {
    if (!listed.includes(config[setting])) issues.push({ setting, value: config[setting], message: `must be one of regions[].region (${listed.join(', ') || 'none listed'})` });
  }
  if (config.secondaryRegion === config.primaryRegion) {
    issues.push({ setting: 'secondaryRegion', value: config.secondaryRegion, message: 'must differ from primaryRegion: the secondary region is where the leaseholders go when the primary region fails' });
  }
  if (listed.length < 2) issues.push({ setting: 'regions', value: listed, message: 'must list at least two regions (the primary and the secondary); a deployment in one region is apps/us-east-1' });
  return issues;
};

/** No two of the deployment's VPCs overlap, across every region: the network library's address-plan rule. */
export const vpcPlanAccepted: MultiRegionRule = (config) => {
  const vpcs = config.regions.flatMap((entry, i) =>
    (['cockroachVpc', 'oryVpc'] as const).map((vpc) => ({ prop: `regions[${i}].${vpc}.cidr`, region: entry.region, regionProp: `regions[${i}].region`, role: vpc === 'cockroachVpc' ? ('cockroach' as const) : ('ory' as const), cidr: entry[vpc].cidr })),
  );
  const paths = Object.fromEntries(vpcs.flatMap((vpc) => [[vpc.prop, vpc.prop], [vpc.regionProp, vpc.regionProp]]));
  return issuesOfProblems(vpcCidrPlanProblems(vpcs), paths);
};

/** The survival goal the cockroach library sets for this many regions (`targetSurvivalGoal`): REGION from three regions on, ZONE below. */
export const survivalGoalFitsRegions: MultiRegionRule = (config) => {
  const target = targetSurvivalGoal(config.regions.length);
  if (config.survivalGoal === target) return [];
  return [
    {
      setting: 'survivalGoal',
      value: config.survivalGoal,
      message:
        target === 'region'
          ? `must be "region" with ${config.regions.length} regions: with three regions or more every Ory database survives the loss of a whole region (SURVIVE REGION FAILURE)`
          : `must be "zone" with ${config.regions.length} regions: SURVIVE REGION FAILURE needs at least three database regions (CockroachDB, "Survive region failures")`,
    },
  ];
};

/**
 * Ory's migrations run in one region, the primary; the others wait for them (two regions migrating
 * at once would race on one schema). The "one region" rule is `@crdb-ory/ory`'s
 * (`oryMigrationRegionProblems`, over the Ory stacks the app builds from `oryMigrationRegions`);
 * this app adds that the one region is the primary (the databases' leaseholders are there).
 */
export const migrationsInOneRegion: MultiRegionRule = (config) => {
  const regions = oryMigrationRegionsOf(config);
  const must = `must list exactly one region, the primary region (${config.primaryRegion})`;
  const problems = oryMigrationRegionProblems(oryMigrationStacks(config));
  if (problems.length > 0) return problems.map((problem) => ({ setting: 'oryMigrationRegions', value: regions, message: `${must}: ${problem.message}` }));
  if (regions[0] === config.primaryRegion) return [];
  return [{ setting: 'oryMigrationRegions', value: regions, message: `${must}: Ory's migrations run in one region only, next to the databases' leaseholders, and the other regions wait for them` }];
};

/**
 * The public DNS stack (a `domain` and `publicAccessCidrs`) routes by health checks that follow
 * each region's "no healthy targets" alarm (`OryPublicFailover`), which its Ory stack creates only
 * with monitoring on: without them every check lacks its alarm.
 */
export const publicDnsHasAlarms: MultiRegionRule = (config) =>
  config.domain !== undefined && config.publicAccessCidrs.length > 0 && !config.monitoring.enabled
    ? [{ setting: 'monitoring.enabled', value: false, message: 'must be true with a domain and publicAccessCidrs: the public records fail over by health checks that follow each region\'s "no healthy targets" alarm, which exists only with monitoring' }]
    : [];

/** Every rule, in the order their messages are reported. */
export const MULTI_REGION_RULES: readonly MultiRegionRule[] = [regionsDistinct, primaryAndSecondaryAmongRegions, vpcPlanAccepted, survivalGoalFitsRegions, migrationsInOneRegion, publicDnsHasAlarms, everyRegionAccepted];

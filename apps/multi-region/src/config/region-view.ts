import type { DeploymentConfig } from '@crdb-ory/deployment';
import type { MultiRegionConfig, RegionConfig } from './schema';

/**
 * The name prefix of a region's stacks. Names AWS wants unique per account, not per region (IAM
 * roles and policies, S3 buckets), derive from it, so each region needs its own: the primary
 * region keeps `namePrefix` (its resources are named as in the single-region app), every other
 * region appends its name (`crdb-ory-us-east-2`).
 */
export function regionalNamePrefix(config: MultiRegionConfig, region: string): string {
  return region === config.primaryRegion ? config.namePrefix : `${config.namePrefix}-${region}`;
}

/** The private zone of a region's network stack: the primary region's is `network.privateZoneName`, each other region's `<region>.<privateZoneName>` (its own names, no clash in a VPC that resolves both). */
export function regionalPrivateZoneName(config: MultiRegionConfig, region: string): string {
  return region === config.primaryRegion ? config.network.privateZoneName : `${region}.${config.network.privateZoneName}`;
}

/**
 * One region as a single-region configuration: what that region's stacks are built from, with the
 * same prop mappings and the same rules as the single-region app. For the primary region of the
 * defaults it is the single-region app's default configuration.
 */
export function regionView(config: MultiRegionConfig, entry: RegionConfig): DeploymentConfig {
  const { network } = config;
  // The single-region settings only: publicRouting is the global public DNS stack's.
  const ory: Omit<MultiRegionConfig['ory'], 'publicRouting'> & { publicRouting?: unknown } = { ...config.ory };
  delete ory.publicRouting;
  return {
    tags: config.tags,
    stateBackend: config.stateBackend,
    publicAccessCidrs: config.publicAccessCidrs,
    ...(config.domain === undefined ? {} : { domain: config.domain }),
    cockroach: config.cockroach,
    eks: config.eks,
    ory,
    monitoring: config.monitoring,
    namePrefix: regionalNamePrefix(config, entry.region),
    region: entry.region,
    availabilityZones: entry.availabilityZones,
    network: { ...network, privateZoneName: regionalPrivateZoneName(config, entry.region), cockroachVpc: entry.cockroachVpc, oryVpc: entry.oryVpc },
  };
}

/** The entry of `region` (the primary region's, by default). */
export function regionEntry(config: MultiRegionConfig, region = config.primaryRegion): RegionConfig {
  const entry = config.regions.find((candidate) => candidate.region === region);
  if (!entry) throw new Error(`region ${region} is not one of regions[] (the configuration rules refuse this before any stack is built)`);
  return entry;
}

/** The regions whose Ory runs the database migrations: `oryMigrationRegions`, else the primary region. */
export function oryMigrationRegionsOf(config: MultiRegionConfig): readonly string[] {
  return config.oryMigrationRegions ?? [config.primaryRegion];
}

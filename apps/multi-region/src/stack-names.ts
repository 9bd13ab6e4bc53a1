import { COCKROACH_BACKUP_STACK_NAME, COCKROACH_STACK_NAME } from '@crdb-ory/cockroach';
import { EKS_STACK_NAME } from '@crdb-ory/eks';
import { NETWORK_STACK_NAME } from '@crdb-ory/network';
import { ORY_STACK_NAME } from '@crdb-ory/ory';
import type { MultiRegionConfig } from './config/schema';

/** A stack's name in a region: `<stack>-<region>` (`network-us-east-2`). Stack names are API: never change one of a deployed stack. */
export function regionalStackName(stack: string, region: string): string {
  return `${stack}-${region}`;
}

/**
 * The names of a region's stacks, by their default names (`ProductStackProps.stackNames`, the one
 * way this app names stacks): each region has its own network, cockroach, eks and ory stacks; the
 * backup stack the nodes write to is the primary region's; `state` and `cockroach-pki` are global
 * and keep their names.
 */
export function regionalStackNames(config: MultiRegionConfig, region: string): Readonly<Record<string, string>> {
  return {
    [NETWORK_STACK_NAME]: regionalStackName(NETWORK_STACK_NAME, region),
    [COCKROACH_STACK_NAME]: regionalStackName(COCKROACH_STACK_NAME, region),
    [COCKROACH_BACKUP_STACK_NAME]: regionalStackName(COCKROACH_BACKUP_STACK_NAME, config.primaryRegion),
    [EKS_STACK_NAME]: regionalStackName(EKS_STACK_NAME, region),
    [ORY_STACK_NAME]: regionalStackName(ORY_STACK_NAME, region),
  };
}

/** A region's Ory stack as far as migrations go: its name (`stackNames`) and, unless it runs Ory's migrations, the stack that does (`migrationsRunBy`). */
export interface OryMigrationStack {
  readonly region: string;
  readonly stackNames: Readonly<Record<string, string>>;
  readonly migrationsRunBy?: string;
}

/** Who runs Ory's migrations, per region, as `oryMigrationRegions` says; `@crdb-ory/ory`'s `oryMigrationRegionProblems` judges it. */
export function oryMigrationStacks(config: MultiRegionConfig): OryMigrationStack[] {
  const runners = config.oryMigrationRegions ?? [config.primaryRegion];
  const runner = regionalStackName(ORY_STACK_NAME, runners[0] ?? config.primaryRegion);
  return config.regions.map(({ region }) => ({
    region,
    stackNames: { [ORY_STACK_NAME]: regionalStackName(ORY_STACK_NAME, region) },
    ...(runners.includes(region) ? {} : { migrationsRunBy: runner }),
  }));
}

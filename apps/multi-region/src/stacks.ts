import { COCKROACH_STACK_NAME, CockroachBackupStack, CockroachPkiStack, CockroachStack, COCKROACH_BACKUP_STACK_NAME, MULTI_REGION_MAX_OFFSET, NODE_COUNT, multiRegionJoinAddresses, nodePrivateIp } from '@crdb-ory/cockroach';
import {
  cockroachBackupStackProps,
  cockroachPkiStackProps,
  cockroachStackProps,
  eksStackProps,
  networkStackProps,
  oryStackProps,
  stateBackendOf,
  stateStackProps,
  suppressDisabledCockroachRules,
} from '@crdb-ory/deployment';
import { EKS_STACK_NAME, EksStack } from '@crdb-ory/eks';
import { InterRegionNodeRules, NETWORK_STACK_NAME, NetworkStack } from '@crdb-ory/network';
import { ORY_STACK_NAME, OryStack } from '@crdb-ory/ory';
import { StateStack } from '@crdb-ory/state';
import type { App } from 'cdktf';
import { type MultiRegionConfig, regionEntry, regionView } from './config';
import { InterRegionStack } from './inter-region-stack';

/** A stack's name in a region: `<stack>-<region>` (`network-us-east-2`). Stack names are API: never change one of a deployed stack. */
export function regionalStackName(stack: string, region: string): string {
  return `${stack}-${region}`;
}

/**
 * The names of a region's stacks, by their default names (`ProductStackProps.stackNames`): each
 * region has its own network, cockroach, eks and ory stacks; the backup stack is the primary
 * region's; `state` and `cockroach-pki` are global and keep their names.
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

/** The stacks of one region (`regionView`), besides what the app builds globally. */
export interface RegionStacks {
  readonly region: string;
  readonly network: NetworkStack;
  readonly cockroach: CockroachStack;
  readonly nodeRules: InterRegionNodeRules;
  readonly eks: EksStack;
  readonly ory: OryStack;
}

/** What `buildMultiRegionStacks` added. */
export interface MultiRegionStacks {
  readonly state: StateStack;
  readonly pki: CockroachPkiStack;
  readonly backup?: CockroachBackupStack;
  readonly interRegion: InterRegionStack;
  readonly regions: readonly RegionStacks[];
}

/**
 * Adds every stack of the multi-region deployment to `app`.
 *
 * Global, in the primary region: `state`, `cockroach-pki`, `inter-region` (the peering mesh of the
 * CockroachDB VPCs, and every region's private zone resolved from every other region's VPCs). Ory's shared secrets (one issuer and the same secrets in every region) get a
 * global stack of their own, next to these, once `@crdb-ory/ory` has it (s29-mr-ory).
 * Per region: `network-<r>`, `cockroach-<r>` (nodes with the cluster-wide join list, `--max-offset`
 * for multi-region clusters, and 26257 open by CIDR from the other regions' CockroachDB VPCs),
 * `eks-<r>`, `ory-<r>`; `cockroach-backup-<primary>` in the primary region only, read by every
 * region's nodes (a BACKUP runs on every node that holds data).
 *
 * Every stack reads its upstream stacks through their contracts and depends on exactly those,
 * plus two orderings without a read: each other region's cockroach stack follows the primary
 * region's (its nodes join the cluster the primary region initialized and made multi-region
 * first) and the inter-region stack (the peering routes they join through).
 */
export function buildMultiRegionStacks(app: App, config: MultiRegionConfig): MultiRegionStacks {
  const primary = regionView(config, regionEntry(config));
  // Every stack keeps its state in the one backend of the primary region (the state stack's bucket and key).
  const stateBackend = stateBackendOf(primary);
  const inRegion = <P extends { stateBackend: unknown }>(props: P): P => ({ ...props, stateBackend });
  const state = new StateStack(app, stateStackProps(primary));
  const views = config.regions.map((entry) => ({ entry, view: regionView(config, entry), names: regionalStackNames(config, entry.region) }));
  const networks = views.map(({ view, names }) => new NetworkStack(app, { ...inRegion(networkStackProps(view, names[NETWORK_STACK_NAME])), privateZoneAssociatedElsewhere: true }));
  const pki = new CockroachPkiStack(app, inRegion(cockroachPkiStackProps(primary, regionalStackNames(config, config.primaryRegion))));
  const backupProps = cockroachBackupStackProps(primary, regionalStackNames(config, config.primaryRegion));
  const backup = backupProps ? new CockroachBackupStack(app, inRegion(backupProps)) : undefined;
  const interRegion = new InterRegionStack(app, {
    stateBackend,
    namePrefix: config.namePrefix,
    tags: config.tags,
    primaryRegion: config.primaryRegion,
    regions: views.map(({ entry, names }) => ({ region: entry.region, networkStackName: names[NETWORK_STACK_NAME] as string, availabilityZoneCount: entry.availabilityZones.length })),
  });
  const joinAddresses = multiRegionJoinAddresses(config.regions.map((entry) => ({ region: entry.region, nodeIps: Array.from({ length: NODE_COUNT }, (_, i) => nodePrivateIp([...entry.cockroachVpc.privateSubnetCidrs], i)) })));
  const clusters = views.map(({ entry, view, names }) => {
    const cockroach = new CockroachStack(app, { ...inRegion(cockroachStackProps(view, names)), maxOffset: MULTI_REGION_MAX_OFFSET, joinAddresses });
    suppressDisabledCockroachRules(cockroach, view);
    const nodeRules = new InterRegionNodeRules(cockroach, 'inter-region-node-rules', {
      securityGroupId: cockroach.securityGroups.nodes.id,
      region: entry.region,
      regions: config.regions.map((other) => ({ region: other.region, cidr: other.cockroachVpc.cidr })),
    });
    return { cockroach, nodeRules };
  });
  const primaryCluster = clusters[config.regions.findIndex((entry) => entry.region === config.primaryRegion)]?.cockroach;
  for (const { cockroach } of clusters) {
    if (cockroach === primaryCluster || !primaryCluster) continue;
    cockroach.addDependency(primaryCluster);
    cockroach.addDependency(interRegion);
  }
  const regions = views.map(({ entry, view, names }, i): RegionStacks => {
    const eks = new EksStack(app, inRegion(eksStackProps(view, names)));
    const ory = new OryStack(app, { ...inRegion(oryStackProps(view)), stackNames: names });
    return { region: entry.region, network: networks[i] as NetworkStack, cockroach: clusters[i]?.cockroach as CockroachStack, nodeRules: clusters[i]?.nodeRules as InterRegionNodeRules, eks, ory };
  });
  return { state, pki, backup, interRegion, regions };
}


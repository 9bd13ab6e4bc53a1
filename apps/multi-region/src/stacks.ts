import { COCKROACH_BACKUP_STACK_NAME, CockroachBackupStack, CockroachPkiStack, CockroachStack, MULTI_REGION_MAX_OFFSET, NODE_COUNT, multiRegionJoinAddresses, nodePrivateIp } from '@crdb-ory/cockroach';
import {
  cockroachBackupStackProps,
  cockroachPkiStackProps,
  cockroachStackProps,
  eksClusterNameOf,
  eksStackProps,
  networkStackProps,
  oryStackProps,
  stateBackendOf,
  stateStackProps,
  suppressDisabledCockroachRules,
} from '@crdb-ory/deployment';
import { EksStack } from '@crdb-ory/eks';
import { InterRegionNodeRules, NETWORK_STACK_NAME, NetworkStack } from '@crdb-ory/network';
import { ORY_STACK_NAME, OryPublicDnsStack, OrySharedSecretsStack, OryStack } from '@crdb-ory/ory';
import { StateStack } from '@crdb-ory/state';
import type { App } from 'cdktf';
import { type MultiRegionConfig, regionEntry, regionView, regionalNamePrefix } from './config';
import { InterRegionStack } from './inter-region-stack';
import { oryMigrationStacks, regionalStackName, regionalStackNames } from './stack-names';

export { regionalStackName, regionalStackNames } from './stack-names';

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
  /** The primary region's backup stack (the schedule writes there), unless `cockroach.backup.enabled` is false. */
  readonly backup?: CockroachBackupStack;
  /** The secondary region's backup stack: the replica of every backup (S3 replication from `backup`). */
  readonly backupReplica?: CockroachBackupStack;
  readonly interRegion: InterRegionStack;
  readonly orySharedSecrets: OrySharedSecretsStack;
  /** Route 53 records across the regions' Ory: only with a `domain` and public access (`publicAccessCidrs`). */
  readonly oryPublicDns?: OryPublicDnsStack;
  readonly regions: readonly RegionStacks[];
}

/**
 * Adds every stack of the multi-region deployment to `app`.
 *
 * Global, in the primary region: `state`, `cockroach-pki` (one CA; every region's node
 * certificates, replicated into that region with the PKI's parameters under the region's name
 * prefix), `inter-region` (the peering mesh of the CockroachDB VPCs, and every region's private
 * zone resolved from every other region's VPCs), `ory-shared-secrets` (one set of Hydra and Kratos
 * secrets, replicated to every region), and `ory-public-dns` (Route 53 records across the regions,
 * only with a domain and public access).
 * Per region: `network-<r>`, `cockroach-<r>` (nodes with the cluster-wide join list, `--max-offset`
 * for multi-region clusters, and 26257 open by CIDR from the other regions' CockroachDB VPCs),
 * `eks-<r>`, `ory-<r>`; `cockroach-backup-<primary>` (the bucket every region's nodes write to,
 * since a BACKUP runs on every node that holds data), replicated to `cockroach-backup-<secondary>`.
 *
 * Every stack reads its upstream stacks through their contracts and depends on exactly those,
 * plus two orderings without a read: each other region's cockroach stack follows the primary
 * region's (its nodes join the cluster the primary region initialized and made multi-region
 * first) and the inter-region stack (the peering routes they join through).
 */
export function buildMultiRegionStacks(app: App, config: MultiRegionConfig): MultiRegionStacks {
  const primary = regionView(config, regionEntry(config));
  const others = config.regions.map((entry) => entry.region).filter((region) => region !== config.primaryRegion);
  // Every stack keeps its state in the one backend of the primary region (the state stack's bucket and key).
  const stateBackend = stateBackendOf(primary);
  const inRegion = <P extends { stateBackend: unknown }>(props: P): P => ({ ...props, stateBackend });
  const state = new StateStack(app, stateStackProps(primary));
  const views = config.regions.map((entry) => ({ entry, view: regionView(config, entry), names: regionalStackNames(config, entry.region) }));
  const networks = views.map(({ view, names }) => new NetworkStack(app, { ...inRegion(networkStackProps(view, names[NETWORK_STACK_NAME])), privateZoneAssociatedElsewhere: true }));
  const pki = new CockroachPkiStack(app, {
    ...inRegion(cockroachPkiStackProps(primary, regionalStackNames(config, config.primaryRegion))),
    nodeRegions: config.regions.map((entry) => ({ region: entry.region, networkStackName: regionalStackName(NETWORK_STACK_NAME, entry.region), namePrefix: regionalNamePrefix(config, entry.region) })),
  });
  const backups = buildBackupStacks(app, config, inRegion);
  const interRegion = new InterRegionStack(app, {
    stateBackend,
    namePrefix: config.namePrefix,
    tags: config.tags,
    primaryRegion: config.primaryRegion,
    regions: views.map(({ entry, names }) => ({ region: entry.region, networkStackName: names[NETWORK_STACK_NAME] as string, availabilityZoneCount: entry.availabilityZones.length })),
  });
  const joinAddresses = multiRegionJoinAddresses(config.regions.map((entry) => ({ region: entry.region, nodeIps: Array.from({ length: NODE_COUNT }, (_, i) => nodePrivateIp([...entry.cockroachVpc.privateSubnetCidrs], i)) })));
  const clusters = views.map(({ entry, view, names }) => {
    const cockroach = new CockroachStack(app, {
      ...inRegion(cockroachStackProps(view, names)),
      maxOffset: MULTI_REGION_MAX_OFFSET,
      joinAddresses,
      // Every region's nodes write to the primary region's bucket; the others may read the replica, to restore after the primary region is lost.
      backupBucketRegion: config.primaryRegion,
      ...(backups.replica && entry.region !== config.primaryRegion ? { backupReplica: backups.replica.target } : {}),
    });
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
  const orySharedSecrets = new OrySharedSecretsStack(app, { stateBackend, namePrefix: config.namePrefix, region: config.primaryRegion, replicaRegions: others, tags: config.tags });
  const migrations = oryMigrationStacks(config);
  const regions = views.map(({ entry, view, names }, i): RegionStacks => {
    const eks = new EksStack(app, inRegion(eksStackProps(view, names)));
    const migrationsRunBy = migrations.find((m) => m.region === entry.region)?.migrationsRunBy;
    const ory = new OryStack(app, {
      ...inRegion(oryStackProps(view)),
      stackNames: names,
      sharedSecrets: orySharedSecrets.reference,
      // The public names are routed across regions by ory-public-dns: two regions' simple records would overwrite each other.
      publicDnsRecords: false,
      ...(migrationsRunBy ? { migrationsRunBy } : {}),
    });
    return { region: entry.region, network: networks[i] as NetworkStack, cockroach: clusters[i]?.cockroach as CockroachStack, nodeRules: clusters[i]?.nodeRules as InterRegionNodeRules, eks, ory };
  });
  const oryPublicDns = buildOryPublicDnsStack(app, config, stateBackend, views.map(({ entry, view, names }) => ({ region: entry.region, oryStackName: names[ORY_STACK_NAME] as string, eksClusterName: eksClusterNameOf(view), namePrefix: view.namePrefix })));
  return { state, pki, backup: backups.primary, backupReplica: backups.replica?.stack, interRegion, orySharedSecrets, oryPublicDns, regions };
}

/**
 * The primary region's backup stack, whose bucket the schedule writes to, replicated to the
 * secondary region's backup stack (`cockroach-backup-<secondary>`, deployed first). The replica
 * raises no stale-backup alarm (no schedule writes there; replication failures show on the
 * primary's replication metrics) and takes its own default bucket name (`<its namePrefix>-backups-<account>-<region>`:
 * a configured `cockroach.backup.bucketName` names the primary's bucket only, bucket names being global).
 */
function buildBackupStacks(app: App, config: MultiRegionConfig, inRegion: <P extends { stateBackend: unknown }>(props: P) => P) {
  const primaryProps = cockroachBackupStackProps(regionView(config, regionEntry(config)), regionalStackNames(config, config.primaryRegion));
  if (!primaryProps) return {};
  const replicaName = regionalStackName(COCKROACH_BACKUP_STACK_NAME, config.secondaryRegion);
  const replicaProps = cockroachBackupStackProps(regionView(config, regionEntry(config, config.secondaryRegion)), { ...regionalStackNames(config, config.secondaryRegion), [COCKROACH_BACKUP_STACK_NAME]: replicaName });
  const target = { region: config.secondaryRegion, stackName: replicaName };
  const replica = replicaProps ? new CockroachBackupStack(app, inRegion({ ...replicaProps, bucketName: undefined, staleBackupAlarmHours: false })) : undefined;
  const primary = new CockroachBackupStack(app, inRegion({ ...primaryProps, replicateTo: target }));
  return { primary, replica: replica ? { stack: replica, target } : undefined };
}

/**
 * `ory-public-dns`: Route 53 records for `hydra.`/`kratos.<domain>` across the regions (primary,
 * then secondary, then the others), `ory.publicRouting` (failover by default). Only with a
 * `domain` (without one Ory runs in non-production mode on port-forward URLs: no public names)
 * and `publicAccessCidrs` (without them no region has a public load balancer to route to).
 */
function buildOryPublicDnsStack(app: App, config: MultiRegionConfig, stateBackend: MultiRegionStacks['state']['stateBackend'], regions: ReadonlyArray<{ region: string; oryStackName: string; eksClusterName: string; namePrefix: string }>): OryPublicDnsStack | undefined {
  if (config.domain === undefined || config.publicAccessCidrs.length === 0) return undefined;
  const rank = (region: string) => [config.primaryRegion, config.secondaryRegion].indexOf(region);
  const ordered = [...regions].sort((a, b) => (rank(a.region) === -1 ? 2 : rank(a.region)) - (rank(b.region) === -1 ? 2 : rank(b.region)));
  return new OryPublicDnsStack(app, {
    stateBackend,
    namePrefix: config.namePrefix,
    region: config.primaryRegion,
    tags: config.tags,
    domain: config.domain,
    regions: ordered,
    routing: config.ory.publicRouting,
    exposeKetoReadApi: config.ory.keto.exposeReadApi,
  });
}

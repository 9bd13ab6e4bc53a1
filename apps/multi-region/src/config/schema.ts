import { DEFAULT_CONFIG, NETWORK_DEFAULTS, awsRegion, deploymentConfig, networkConfig, oryConfig, vpcConfig } from '@crdb-ory/deployment';
import { z } from 'zod';

/** One region of the cluster: where its nodes and its Ory run, and its two VPCs. */
export const regionConfig = z.strictObject({
  /** The AWS region. */
  region: awsRegion,
  /** Exactly three availability zones of `region`, one per CockroachDB node and subnet. */
  availabilityZones: z.array(z.string()),
  /** The region's CockroachDB VPC; no two of the deployment's VPCs overlap (network's vpcCidrPlanProblems). */
  cockroachVpc: vpcConfig,
  /** The region's Ory (EKS) VPC. */
  oryVpc: vpcConfig,
});

/**
 * The multi-region deployment's configuration: the single-region settings (one meaning, one
 * default, one rule each: `@crdb-ory/deployment`), with `region`, `availabilityZones` and the two
 * VPCs moved into `regions`, one entry per region.
 */
export const multiRegionConfig = deploymentConfig.omit({ region: true, availabilityZones: true, network: true }).extend({
  /** Every region of the cluster (three by default: a cluster that survives the loss of one). */
  regions: z.array(regionConfig),
  /** The region of the global stacks (state, PKI, peering, Ory's shared secrets), the databases' primary region, and where backups are written. */
  primaryRegion: awsRegion,
  /** The databases' secondary region (`SET SECONDARY REGION`): where the leaseholders go when the primary region fails. */
  secondaryRegion: awsRegion,
  /** The Ory databases' survival goal: `region` (needs three regions or more) or `zone`. */
  survivalGoal: z.enum(['region', 'zone']),
  /** The one region whose Ory runs the database migrations; the others wait for them. @default [primaryRegion] */
  oryMigrationRegions: z.array(awsRegion).optional(),
  /** The settings of every region's network stack; the VPCs are in `regions`. */
  network: networkConfig.omit({ cockroachVpc: true, oryVpc: true }),
  /** Every region's Ory (the single-region settings), and how public traffic reaches the regions. */
  ory: oryConfig.extend({
    /**
     * How Route 53 answers for `hydra.<domain>` and `kratos.<domain>` (the `ory-public-dns` stack,
     * built when `domain` is set and `publicAccessCidrs` lists a CIDR):
     * - `failover`: every user goes to the primary region while its health check passes, then to
     *   the secondary region. A login's reads and writes run next to the databases' leaseholders
     *   (the primary region).
     * - `latency`: each user goes to the healthy region nearest to them. Trade-off: in any region
     *   but the primary, every read on a login path crosses to the primary region's leaseholders
     *   (REGIONAL BY TABLE in the primary region), so a request is slower unless most users sit next
     *   to the primary region anyway (`OryPublicRouting`). Opt in only after measuring.
     * @default 'failover'
     */
    publicRouting: z.enum(['failover', 'latency']),
  }),
});

export type RegionConfig = z.infer<typeof regionConfig>;
export type MultiRegionConfigInput = z.input<typeof multiRegionConfig>;
export type MultiRegionConfig = z.output<typeof multiRegionConfig>;

/** A region's two VPCs in the address plan of docs/network.md ("Multi-region"): `10.1x` CockroachDB, `10.2x` Ory, x the region's place. */
function defaultRegion(region: string, place: number): RegionConfig {
  const octet = (base: number) => `10.${base + place}`;
  const layout = (prefix: string, privateSubnets: readonly string[]) => ({
    cidr: `${prefix}.0.0/16`,
    publicSubnetCidrs: [0, 1, 2].map((i) => `${prefix}.${i}.0/24`),
    privateSubnetCidrs: privateSubnets.map((third) => `${prefix}.${third}`),
  });
  return {
    region,
    availabilityZones: ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
    cockroachVpc: layout(octet(10), ['10.0/24', '11.0/24', '12.0/24']),
    oryVpc: layout(octet(20), ['16.0/20', '32.0/20', '48.0/20']),
  };
}

/**
 * Issue 24's default: us-east-1 (primary), us-east-2 (secondary) and us-west-2, each with the
 * address plan of docs/network.md; the primary region keeps the single-region defaults (region,
 * zones, VPCs), so a deployment that grows from one region to three keeps its addresses. Every
 * other setting is the single-region default.
 */
export const MULTI_REGION_DEFAULTS: MultiRegionConfig = {
  namePrefix: DEFAULT_CONFIG.namePrefix,
  tags: DEFAULT_CONFIG.tags,
  stateBackend: DEFAULT_CONFIG.stateBackend,
  publicAccessCidrs: DEFAULT_CONFIG.publicAccessCidrs,
  cockroach: DEFAULT_CONFIG.cockroach,
  eks: DEFAULT_CONFIG.eks,
  ory: { ...DEFAULT_CONFIG.ory, publicRouting: 'failover' },
  monitoring: DEFAULT_CONFIG.monitoring,
  regions: ['us-east-1', 'us-east-2', 'us-west-2'].map(defaultRegion),
  primaryRegion: 'us-east-1',
  secondaryRegion: 'us-east-2',
  survivalGoal: 'region',
  network: { natGateways: NETWORK_DEFAULTS.natGateways, flowLogsRetentionDays: NETWORK_DEFAULTS.flowLogsRetentionDays, privateZoneName: NETWORK_DEFAULTS.privateZoneName },
};

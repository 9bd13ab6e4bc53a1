/** What the roll knows about the cluster at one moment: from Terraform state and from the nodes. */
export interface NodeObservation {
  /** 1-based node number (AZ order). */
  readonly node: number;
  readonly instanceId: string;
  /** Terraform state: the instance still runs older settings than the configuration. */
  readonly pending: boolean;
  /** `/health?ready=1` answered 200 on the node itself. */
  readonly ready: boolean;
  /** `cockroach version --build-tag` on the node; undefined when the node could not be asked. */
  readonly binaryVersion?: string;
  /** The cluster's view (crdb_internal.gossip_nodes / gossip_liveness); undefined when no node answered SQL. */
  readonly live?: boolean;
  readonly draining?: boolean;
  /**
   * The node's target in the SQL load balancer's target group (`aws elbv2 describe-target-health`):
   * its state (`healthy`, `initial`, `unhealthy`, `draining`, `unused`, `unavailable`) and reason
   * code. Clients reach a node only once its target is `healthy`.
   */
  readonly loadBalancerTarget?: { readonly state: string; readonly reason?: string };
}

/** The drain settings in force (`SHOW CLUSTER SETTING server.shutdown.*`), in seconds. */
export interface ObservedDrainSettings {
  readonly initialWaitSeconds: number;
  readonly connectionsTimeoutSeconds: number;
  readonly transactionsTimeoutSeconds: number;
  readonly leaseTransferIterationSeconds: number;
}

export interface ClusterSqlObservation {
  /** `SHOW CLUSTER SETTING version`, e.g. `25.4` (or `25.4-upgrading-to-26.1-step-002` while finalizing). */
  readonly clusterVersion: string;
  /** `SHOW CLUSTER SETTING cluster.preserve_downgrade_option`; empty when unset. */
  readonly preserveDowngradeOption: string;
  /** Sum over all stores (crdb_internal.kv_store_status). */
  readonly underReplicatedRanges: number;
  readonly unavailableRanges: number;
  /** Undefined when the settings could not be read. */
  readonly drain?: ObservedDrainSettings;
}

/**
 * A node of the cluster that is not one of this stack's (in a multi-region deployment: a node of
 * another region's cockroach stack), as crdb_internal.gossip_nodes / gossip_liveness report it.
 */
export interface OtherNodeObservation {
  readonly nodeId: number;
  /** `10.20.0.10:26257` */
  readonly address: string;
  /** The binary it runs (`build_tag`). */
  readonly buildTag: string;
  readonly live: boolean;
  readonly draining: boolean;
}

export interface ClusterObservation {
  /** The version every node is configured with (the settings records). */
  readonly targetVersion: string;
  /** A plain `terraform plan` of the stack shows no change (the plain apply has been made). */
  readonly planClean: boolean;
  readonly nodes: readonly NodeObservation[];
  /** Undefined when no node answered SQL. */
  readonly cluster?: ClusterSqlObservation;
  /**
   * The cluster's nodes outside this stack (other regions' stacks). They count in every health gate
   * (one node down at a time in the whole cluster), and an upgrade is finalized only once they run
   * the new version too. @default none
   */
  readonly otherNodes?: readonly OtherNodeObservation[];
}

export interface RollOptions {
  /** Finalize a major-version upgrade once every node runs the new binary. @default false (stop and say how) */
  readonly finalize: boolean;
  /**
   * `cockroach node drain --drain-wait`: refused unless above the cluster's drain budget.
   * @default the drain budget of the settings in force plus 60 s (drain-settings.ts)
   */
  readonly drainWaitSeconds?: number;
}

import { DRAIN_MARGIN_SECONDS, drainBudgetSeconds } from '../cluster/drain-settings';
import { ClusterObservation, NodeObservation, ObservedDrainSettings, OtherNodeObservation, RollOptions } from './cluster-observation';
import { assessUpgrade, isFinalizing, majorOf } from './version-policy';

/** The one next thing the roll does, decided from an observation alone (no I/O). */
export type RollStep =
  | { readonly kind: 'refuse'; readonly reason: string }
  | { readonly kind: 'set-preserve-downgrade'; readonly version: string }
  | { readonly kind: 'replace-node'; readonly node: number; readonly instanceId: string; readonly fromVersion?: string; readonly toVersion: string; readonly drainWaitSeconds: number }
  | { readonly kind: 'finalize'; readonly version: string }
  | { readonly kind: 'reset-preserve-downgrade'; readonly version: string }
  | { readonly kind: 'done'; readonly summary: string };

const refuse = (reason: string): RollStep => ({ kind: 'refuse', reason });

/**
 * The roll's decision logic. Before every step (so before the first node and between nodes) the
 * cluster must be healthy: every node ready, live and not draining, its load balancer target
 * healthy, no under-replicated or unavailable range, and every node of the cluster outside this
 * stack (the other regions' stacks) live and not draining; otherwise it refuses, saying what is wrong.
 * A node is drained for as long as the cluster's drain settings need (`--drain-wait` shorter
 * than that is refused). Then, in order: a major-version
 * upgrade first sets `cluster.preserve_downgrade_option` to the current version; the pending
 * nodes are replaced one at a time, lowest node number first; a major-version upgrade is
 * finalized only once every node runs the new binary, and only when asked; a patch release (or
 * any other change) needs no finalization.
 */
export function decideNextStep(observation: ClusterObservation, options: RollOptions): RollStep {
  if (!observation.planClean) {
    return refuse(
      'a plain `terraform plan` of the cockroach stack shows changes: apply them first (`cdktf deploy cockroach`: it updates the per-node settings records and never touches a running node); the roll only replaces nodes',
    );
  }
  const cluster = observation.cluster;
  if (!cluster) return refuse('no node answered SQL (cockroach sql as root on a ready node): the cluster is not healthy enough to take a node down');
  const others = observation.otherNodes ?? [];
  const unhealthy = [...healthProblems(observation.nodes, cluster.underReplicatedRanges, cluster.unavailableRanges), ...otherNodeProblems(others)];
  if (unhealthy.length > 0) return refuse(`the cluster is not healthy, so no node may be taken down: ${unhealthy.join('; ')}`);
  if (isFinalizing(cluster.clusterVersion)) {
    return refuse(`the cluster is finalizing an upgrade (version ${cluster.clusterVersion}): run the roll again once SHOW CLUSTER SETTING version shows the new version`);
  }

  const clusterMajor = majorOf(cluster.clusterVersion);
  const targetMajor = majorOf(observation.targetVersion);
  if (!clusterMajor) return refuse(`cannot read the cluster version "${cluster.clusterVersion}"`);
  if (!targetMajor) return refuse(`cannot read the configured version "${observation.targetVersion}"`);
  const assessment = assessUpgrade(clusterMajor, targetMajor);
  if (assessment.kind === 'refused') return refuse(`cockroach.version ${observation.targetVersion} cannot be rolled out: ${assessment.reason}`);

  // A node runs the cluster's or the configured major version; a pending one may also run a newer
  // version the cluster could be upgrading to (an unfinalized upgrade being rolled back).
  const strays = observation.nodes.filter((n) => {
    const binary = majorOf(n.binaryVersion ?? '') ?? '';
    return ![clusterMajor, targetMajor].includes(binary) && !(n.pending && assessUpgrade(clusterMajor, binary).kind === 'major-upgrade');
  });
  if (strays.length > 0) {
    return refuse(strays.map((n) => `node ${n.node} runs ${n.binaryVersion ?? 'an unknown version'}, neither the cluster version v${clusterMajor} nor the configured ${observation.targetVersion}`).join('; '));
  }
  const preserve = cluster.preserveDowngradeOption;
  const next = observation.nodes.filter((n) => n.pending).sort((a, b) => a.node - b.node)[0];

  if (assessment.kind === 'major-upgrade') {
    if (preserve !== clusterMajor) {
      if (preserve !== '') return refuse(`cluster.preserve_downgrade_option is '${preserve}', not the cluster version '${clusterMajor}': reset it or set it to '${clusterMajor}' before upgrading to v${targetMajor}`);
      return { kind: 'set-preserve-downgrade', version: clusterMajor };
    }
    if (next) return replace(next, observation.targetVersion, cluster.drain, options);
    const behind = observation.nodes.filter((n) => majorOf(n.binaryVersion ?? '') !== targetMajor);
    if (behind.length > 0) return inconsistent(behind, observation.targetVersion);
    const behindElsewhere = others.filter((o) => majorOf(o.buildTag) !== targetMajor);
    if (behindElsewhere.length > 0) {
      return {
        kind: 'done',
        summary: `every node of this stack runs v${targetMajor}; ${describeOthers(behindElsewhere)} outside this stack (another region's stack) not yet: roll their stacks; the upgrade is finalized (--finalize) only once every node of the cluster runs v${targetMajor}`,
      };
    }
    if (options.finalize) return { kind: 'finalize', version: targetMajor };
    return {
      kind: 'done',
      summary: `every node runs v${targetMajor}; the upgrade is not finalized (cluster.preserve_downgrade_option = '${clusterMajor}'), so it can still be rolled back. Once satisfied, finalize it: the roll with --finalize`,
    };
  }

  if (next) return replace(next, observation.targetVersion, cluster.drain, options);
  const different = observation.nodes.filter((n) => n.binaryVersion !== observation.targetVersion);
  if (different.length > 0) return inconsistent(different, observation.targetVersion);
  if (preserve !== '') {
    // A rolled-back major upgrade: the setting stays while another stack's node still runs the newer binary.
    const newerElsewhere = others.filter((o) => majorOf(o.buildTag) !== clusterMajor);
    if (newerElsewhere.length > 0) {
      return { kind: 'done', summary: `every node of this stack runs ${observation.targetVersion}; cluster.preserve_downgrade_option stays '${preserve}' while ${describeOthers(newerElsewhere)} outside this stack (another region's stack): roll their stacks` };
    }
    return { kind: 'reset-preserve-downgrade', version: preserve };
  }
  return { kind: 'done', summary: `every node runs ${observation.targetVersion} with its configured settings${options.finalize ? '; nothing to finalize' : ''}` };
}

function replace(node: NodeObservation, toVersion: string, drain: ObservedDrainSettings | undefined, options: RollOptions): RollStep {
  if (!drain) return refuse('cannot read the cluster\'s drain settings (SHOW CLUSTER SETTING server.shutdown.*), so how long a drain takes is unknown');
  const budget = drainBudgetSeconds(drain);
  const phases = `server.shutdown.initial_wait ${drain.initialWaitSeconds} s + connections.timeout ${drain.connectionsTimeoutSeconds} s + 2 x transactions.timeout ${drain.transactionsTimeoutSeconds} s + lease_transfer_iteration.timeout ${drain.leaseTransferIterationSeconds} s`;
  if (options.drainWaitSeconds !== undefined && options.drainWaitSeconds <= budget) {
    return refuse(`--drain-wait ${options.drainWaitSeconds} s does not fit a drain of this cluster (${phases} = ${budget} s; CockroachDB "Node shutdown": --drain-wait must be greater): pass at least ${budget + 1}, or leave it out (${budget + DRAIN_MARGIN_SECONDS})`);
  }
  return { kind: 'replace-node', node: node.node, instanceId: node.instanceId, fromVersion: node.binaryVersion, toVersion, drainWaitSeconds: options.drainWaitSeconds ?? budget + DRAIN_MARGIN_SECONDS };
}

function inconsistent(nodes: readonly NodeObservation[], target: string): RollStep {
  return refuse(
    nodes
      .map((n) => `node ${n.node} runs ${n.binaryVersion ?? 'an unknown version'}, not ${target}, yet Terraform state records it as running its configured settings`)
      .join('; ') + ': the state and the cluster disagree; check the node (cockroach version on it) before rolling',
  );
}

/** Why the cluster may not lose a node now (empty: it may). */
export function healthProblems(nodes: readonly NodeObservation[], underReplicated: number, unavailable: number): string[] {
  const problems: string[] = [];
  for (const n of nodes) {
    if (!n.ready) problems.push(`node ${n.node} (${n.instanceId}) is not ready (/health?ready=1 did not answer 200)`);
    else if (n.live === false) problems.push(`node ${n.node} is not live in the cluster`);
    else if (n.live === undefined) problems.push(`node ${n.node} is not in crdb_internal.gossip_nodes`);
    if (n.draining) problems.push(`node ${n.node} is draining`);
    if (n.loadBalancerTarget && n.loadBalancerTarget.state !== 'healthy') {
      problems.push(`node ${n.node}'s load balancer target is ${n.loadBalancerTarget.state}${n.loadBalancerTarget.reason ? ` (${n.loadBalancerTarget.reason})` : ''}, so clients cannot reach it`);
    }
  }
  if (unavailable > 0) problems.push(`${unavailable} ranges are unavailable`);
  if (underReplicated > 0) problems.push(`${underReplicated} ranges are under-replicated`);
  return problems;
}

/** Why another stack's node (another region's) keeps this stack from losing a node now (empty: it does not). */
export function otherNodeProblems(others: readonly OtherNodeObservation[]): string[] {
  return others.flatMap((o) => [
    ...(o.live ? [] : [`node ${o.nodeId} at ${o.address} (outside this stack: another region's) is not live`]),
    ...(o.draining ? [`node ${o.nodeId} at ${o.address} (outside this stack: another region's) is draining`] : []),
  ]);
}

function describeOthers(others: readonly OtherNodeObservation[]): string {
  return others.map((o) => `node ${o.nodeId} at ${o.address} runs ${o.buildTag || 'an unknown version'}`).join(', ');
}

/** What the cluster looks like once `step` has succeeded (the dry run's simulation). */
export function expectedAfter(observation: ClusterObservation, step: RollStep): ClusterObservation {
  const cluster = observation.cluster;
  switch (step.kind) {
    case 'set-preserve-downgrade':
      return { ...observation, cluster: cluster && { ...cluster, preserveDowngradeOption: step.version } };
    case 'reset-preserve-downgrade':
      return { ...observation, cluster: cluster && { ...cluster, preserveDowngradeOption: '' } };
    case 'finalize':
      return { ...observation, cluster: cluster && { ...cluster, clusterVersion: step.version, preserveDowngradeOption: '' } };
    case 'replace-node':
      return {
        ...observation,
        nodes: observation.nodes.map((n) =>
          n.node === step.node
            ? { ...n, instanceId: `(new instance of node ${n.node})`, pending: false, binaryVersion: step.toVersion, ready: true, live: true, draining: false, ...(n.loadBalancerTarget ? { loadBalancerTarget: { state: 'healthy' } } : {}) }
            : n,
        ),
      };
    default:
      return observation;
  }
}

/** Every step from `observation` to the end, assuming each succeeds (the dry run). */
export function plannedSteps(observation: ClusterObservation, options: RollOptions): RollStep[] {
  const steps: RollStep[] = [];
  let current = observation;
  for (let i = 0; i < 16; i++) {
    const step = decideNextStep(current, options);
    steps.push(step);
    if (step.kind === 'done' || step.kind === 'refuse') return steps;
    current = expectedAfter(current, step);
  }
  throw new Error('the roll did not converge in 16 steps (a bug in decideNextStep)');
}

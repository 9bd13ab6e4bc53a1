import { databaseRegionsQuery, parseDatabaseRegions } from '../multi-region/database-regions';
import { ORY_DATABASES } from '../sql-users';
import { DecommissionDecision, DecommissionObservation, decideDecommission, regionNodes } from './decommission-decision';
import { parseNodeDecommissionStatus } from './decommission-status';
import { STORE_RANGES_QUERY } from './node-commands';
import { NodeShell, csvRows } from './node-shell';
import { NodeRegionSql } from './converge-regions';
import type { RegionSql } from './converge-regions';
import { OperationStopped } from './operation-stopped';

// The day-2 action "decommission a region's nodes" (`crdb-ory-cockroach decommission-region`), the
// last CockroachDB step of removing a region (docs/operations.md, "Remove a region"): the
// operator's loop around decommission-decision.ts. Observe (`cockroach node status --decommission`,
// SHOW DATABASES, the stores' range counts), decide, apply ONE step, observe again.

/** The output of one `cockroach` command on a node of the cluster. */
export interface CockroachCliResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** Why it failed (empty when ok). */
  readonly error: string;
}

/** The cluster, as root on a node that stays (through SSM in the CLI; the cockroach stub in the tests). */
export interface DecommissionCluster extends RegionSql {
  /** `cockroach node status --decommission --format=csv`. */
  nodeStatus(): Promise<CockroachCliResult>;
  /** `cockroach node decommission <ids>` with `--dry-run` (check), `--wait=none` (start) or `--wait=all` (finish). */
  decommission(step: 'check' | 'start' | 'finish', nodeIds: readonly number[]): Promise<CockroachCliResult>;
}

export interface DecommissionRegionDependencies {
  readonly cluster: DecommissionCluster;
  readonly log: (line: string) => void;
  readonly sleep: (seconds: number) => Promise<void>;
  /** Milliseconds, for the replicas timeout. */
  readonly now: () => number;
}

export interface DecommissionRegionSettings {
  /** The region whose nodes are decommissioned (their locality's `region` tier). */
  readonly region: string;
  /** Observe, decide, run CockroachDB's pre-flight checks (`--dry-run`) and print the plan; change nothing. */
  readonly dryRun: boolean;
  readonly pollSeconds: number;
  /** How long the replicas may take to move off the region's nodes. */
  readonly replicasTimeoutSeconds: number;
}

/** @default how long the region's replicas may take to move: 2 hours */
export const DEFAULT_DECOMMISSION_TIMEOUT_SECONDS = 7200;

export interface DecommissionRegionResult {
  /** The `cockroach node decommission` commands applied (a dry run: none). */
  readonly applied: readonly string[];
  /** The region's nodes. */
  readonly nodeIds: readonly number[];
  readonly decision: DecommissionDecision;
}

const command = (step: 'start' | 'finish', ids: readonly number[]): string => `cockroach node decommission ${ids.join(' ')} --wait=${step === 'start' ? 'none' : 'all'}`;

/** Decommissions the region's nodes. Throws OperationStopped, naming what was applied, when the decision refuses, a step fails or the replicas do not move in time. */
export async function decommissionRegion(deps: DecommissionRegionDependencies, settings: DecommissionRegionSettings): Promise<DecommissionRegionResult> {
  const { region } = settings;
  const applied: string[] = [];
  const sofar = (): string => (applied.length === 0 ? 'Nothing was applied.' : `Applied before stopping: ${applied.join('; ')}.`);
  const deadline = deps.now() + settings.replicasTimeoutSeconds * 1000;
  let observed = await observeDecommission(deps.cluster);
  describe(deps.log, region, observed);
  let lastReplicas: number | undefined;
  for (;;) {
    const decision = decideDecommission(region, observed);
    const nodeIds = regionNodes(region, observed.nodes).map((n) => n.nodeId);
    if (decision.kind === 'refused') throw new OperationStopped(`stopped: ${decision.reason} ${sofar()}`);
    if (decision.kind === 'done') {
      deps.log(`Done: the nodes of ${region} (${nodeIds.join(', ')}) are decommissioned; their instances may now be destroyed (docs/operations.md, "Remove a region").`);
      return { applied, nodeIds, decision };
    }
    if (settings.dryRun) {
      await plan(deps, decision);
      return { applied, nodeIds, decision };
    }
    if (decision.kind === 'wait') {
      if (decision.replicas !== lastReplicas) deps.log(`Waiting: ${decision.replicas} replica(s) left on node(s) ${decision.nodeIds.join(', ')}.`);
      lastReplicas = decision.replicas;
      if (deps.now() > deadline) {
        throw new OperationStopped(`stopped: after ${settings.replicasTimeoutSeconds} s node(s) ${decision.nodeIds.join(', ')} still hold ${decision.replicas} replica(s); they stay decommissioning and their replicas keep moving: run the command again to wait on, or cancel with \`cockroach node recommission ${decision.nodeIds.join(' ')}\`. ${sofar()}`);
      }
      await deps.sleep(settings.pollSeconds);
    } else {
      const step = command(decision.kind, decision.nodeIds);
      if (applied.includes(step)) throw new OperationStopped(`stopped: \`${step}\` succeeded before but the cluster reports no change. ${sofar()}`);
      deps.log(`Applying ${step}`);
      const result = await deps.cluster.decommission(decision.kind, decision.nodeIds);
      if (!result.ok) throw new OperationStopped(`stopped: \`${step}\` failed: ${result.error.trim()}. ${sofar()}`);
      applied.push(step);
    }
    observed = await observeDecommission(deps.cluster);
  }
}

/** The dry run: what the next steps are, and CockroachDB's own pre-flight checks before a start. */
async function plan(deps: DecommissionRegionDependencies, decision: Exclude<DecommissionDecision, { kind: 'refused' | 'done' }>): Promise<void> {
  const ids = decision.nodeIds;
  if (decision.kind === 'start') {
    const check = await deps.cluster.decommission('check', ids);
    if (!check.ok) throw new OperationStopped(`stopped: CockroachDB's decommission pre-flight checks (cockroach node decommission ${ids.join(' ')} --dry-run) fail: ${check.error.trim()}. Nothing was applied.`);
    deps.log(`CockroachDB's pre-flight checks pass (cockroach node decommission ${ids.join(' ')} --dry-run).`);
  }
  deps.log('Dry run: nothing was changed. With --yes the command would:');
  const steps = [
    ...(decision.kind === 'start' ? [`${command('start', ids)} (every node of the region at once; their replicas move to the other regions)`] : []),
    ...(decision.kind !== 'finish' ? [`wait until node(s) ${ids.join(', ')} hold 0 replicas (cockroach node status --decommission)`] : []),
    `${command('finish', ids)} (their membership becomes decommissioned)`,
  ];
  for (const [i, step] of steps.entries()) deps.log(`  ${i + 1}. ${step}`);
}

/** One observation: the nodes' decommission status, the Ory databases' regions, the stores' ranges. */
export async function observeDecommission(cluster: DecommissionCluster): Promise<DecommissionObservation> {
  const status = await cluster.nodeStatus();
  if (!status.ok) throw new OperationStopped(`stopped: cockroach node status --decommission failed: ${status.error.trim()}`);
  const sql = await cluster.run([databaseRegionsQuery(ORY_DATABASES), STORE_RANGES_QUERY]);
  const [databases, ranges] = sql.results;
  if (!sql.ok || databases === undefined || ranges === undefined) throw new OperationStopped(`stopped: the databases' regions and the ranges could not be read: ${sql.error.trim()}`);
  const [under, unavailable] = (csvRows(ranges)[0] ?? []).map(Number);
  if (under === undefined || unavailable === undefined || Number.isNaN(under) || Number.isNaN(unavailable)) throw new OperationStopped(`stopped: unexpected range counts: ${ranges.trim()}`);
  return { nodes: parseNodeDecommissionStatus(status.stdout), databases: parseDatabaseRegions(databases), underReplicatedRanges: under, unavailableRanges: unavailable };
}

function describe(log: (line: string) => void, region: string, observed: DecommissionObservation): void {
  for (const n of observed.nodes) log(`  node ${n.nodeId} (${n.locality || 'no locality'}): ${n.live ? 'live' : 'not live'}, ${n.membership}, ${n.replicas} replica(s)${n.draining ? ', draining' : ''}`);
  log(`Ranges: ${observed.underReplicatedRanges} under-replicated, ${observed.unavailableRanges} unavailable. Region to decommission: ${region}.`);
}

/** DecommissionCluster through SSM Run Command: root on a ready node of the stack (NodeRegionSql's node). */
export class NodeDecommissionCluster extends NodeRegionSql implements DecommissionCluster {
  constructor(nodes: NodeShell, instanceIds: readonly string[], log: (line: string) => void) {
    super(nodes, instanceIds, log);
  }

  nodeStatus(): Promise<CockroachCliResult> {
    return this.action(['decommission-status'], 300);
  }

  decommission(step: 'check' | 'start' | 'finish', nodeIds: readonly number[]): Promise<CockroachCliResult> {
    // --wait=all returns once no replica is left: the loop only finishes after `gossiped_replicas` reached 0.
    return this.action(['decommission', step, ...nodeIds.map(String)], 1800);
  }
}

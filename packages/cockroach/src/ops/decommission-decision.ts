import type { ObservedDatabaseRegions } from '../multi-region/database-regions';
import { REGION_GOAL_MIN_REGIONS } from '../multi-region/region-convergence';
import { NodeDecommissionStatus, localityRegion } from './decommission-status';

// The pure decision of `crdb-ory-cockroach decommission-region` (decommission-region.ts runs it
// in a loop: observe, decide, apply one step, observe again). It follows CockroachDB's "Remove
// nodes" procedure (https://www.cockroachlabs.com/docs/v26.2/node-shutdown#remove-nodes):
// - prerequisites: no under-replicated or unavailable ranges; decommission all the nodes at once,
//   never one by one (https://www.cockroachlabs.com/docs/v26.2/node-shutdown#prerequisites);
// - enough nodes stay to take the replicas: the replication factor is never reduced below 3, and
//   with fewer than three other nodes the decommission hangs
//   (https://www.cockroachlabs.com/docs/v26.2/node-shutdown#size-and-replication-factor);
// - `cockroach node decommission <ids> --wait=none` starts it and returns; the replicas move while
//   `gossiped_replicas` falls to 0; `cockroach node decommission <ids>` (`--wait=all`) returns once
//   no replica is left, and membership then changes from `decommissioning` to `decommissioned`
//   (https://www.cockroachlabs.com/docs/v26.2/cockroach-node#flags,
//   https://www.cockroachlabs.com/docs/v26.2/node-shutdown#status-change). Only then may the
//   region's instances be destroyed.
// What this adds for a region: the region's nodes are the nodes whose locality has `region=<r>`;
// no Ory database may still have the region (`regions` drops it first: CockroachDB needs a live node
// in every database region), and a database with the REGION survival goal needs three regions
// with live nodes after the removal (https://www.cockroachlabs.com/docs/v26.2/multiregion-survival-goals#survive-region-failures).

/** What the decision reads. */
export interface DecommissionObservation {
  /** `cockroach node status --decommission`: every node, decommissioned ones included. */
  readonly nodes: readonly NodeDecommissionStatus[];
  /** The Ory databases' regions and survival goals (SHOW DATABASES). */
  readonly databases: readonly ObservedDatabaseRegions[];
  /** Sum over all stores (crdb_internal.kv_store_status). */
  readonly underReplicatedRanges: number;
  readonly unavailableRanges: number;
}

/** The fewest nodes that may stay: CockroachDB never reduces the replication factor below 3. */
export const MIN_REMAINING_NODES = 3;

/**
 * The next step: `start` (`cockroach node decommission <ids> --wait=none`), `wait` (replicas still
 * move), `finish` (`cockroach node decommission <ids>`: every replica moved, membership becomes
 * decommissioned), `done`, or `refused` (nothing may change; the reason says what to do).
 */
export type DecommissionDecision =
  | { readonly kind: 'start' | 'finish'; readonly nodeIds: readonly number[] }
  | { readonly kind: 'wait'; readonly nodeIds: readonly number[]; readonly replicas: number }
  | { readonly kind: 'done'; readonly nodeIds: readonly number[] }
  | { readonly kind: 'refused'; readonly reason: string };

const ids = (nodes: readonly NodeDecommissionStatus[]): number[] => nodes.map((n) => n.nodeId);
const list = (nodes: readonly NodeDecommissionStatus[]): string => ids(nodes).join(', ');

/** The region's nodes: those whose locality has `region=<region>`. */
export function regionNodes(region: string, nodes: readonly NodeDecommissionStatus[]): NodeDecommissionStatus[] {
  return nodes.filter((n) => localityRegion(n.locality) === region);
}

/** Decides the next step of decommissioning `region`'s nodes. */
export function decideDecommission(region: string, observed: DecommissionObservation): DecommissionDecision {
  const targets = regionNodes(region, observed.nodes);
  if (targets.length === 0) return { kind: 'refused', reason: `No node has the locality region=${region} (cockroach node status --decommission lists ${observed.nodes.map((n) => `${n.nodeId}: ${n.locality || 'no locality'}`).join('; ') || 'no node'}).` };
  const notDone = targets.filter((n) => n.membership !== 'decommissioned');
  if (notDone.length === 0) return { kind: 'done', nodeIds: ids(targets) };
  const withRegion = observed.databases.filter((d) => d.regions.includes(region));
  if (withRegion.length > 0) return { kind: 'refused', reason: `${withRegion.map((d) => d.database).join(', ')} still ${withRegion.length === 1 ? 'has' : 'have'} the region ${region}: run \`regions\` without it first (it drops the region from the databases).` };
  const active = notDone.filter((n) => n.membership === 'active');
  if (active.length > 0) {
    const down = active.filter((n) => !n.live);
    if (down.length > 0) return { kind: 'refused', reason: `Node(s) ${list(down)} of ${region} are not live: this command decommissions running nodes (for nodes that are gone, see "Remove a dead node" in CockroachDB's node shutdown docs).` };
    const staying = observed.nodes.filter((n) => localityRegion(n.locality) !== region && n.membership === 'active' && n.live);
    if (staying.length < MIN_REMAINING_NODES) return { kind: 'refused', reason: `Only ${staying.length} live node(s) would stay outside ${region}: CockroachDB keeps at least ${MIN_REMAINING_NODES} replicas of every range, so the decommission would hang.` };
    const stayingRegions = new Set(staying.map((n) => localityRegion(n.locality)));
    for (const d of observed.databases.filter((db) => db.survivalGoal === 'region')) {
      const kept = d.regions.filter((r) => stayingRegions.has(r));
      if (kept.length < REGION_GOAL_MIN_REGIONS) {
        return { kind: 'refused', reason: `${d.database} has the REGION survival goal, which needs ${REGION_GOAL_MIN_REGIONS} regions with live nodes, and only ${kept.length} would stay (${kept.join(', ') || 'none'}): run \`regions\` first (it sets SURVIVE ZONE FAILURE below three regions).` };
      }
    }
    if (observed.underReplicatedRanges > 0 || observed.unavailableRanges > 0) {
      return { kind: 'refused', reason: `The cluster has ${observed.underReplicatedRanges} under-replicated and ${observed.unavailableRanges} unavailable range(s): decommission only a healthy cluster (wait until both are 0).` };
    }
    // All of the region's nodes at once, never one by one (CockroachDB's prerequisite).
    return { kind: 'start', nodeIds: ids(notDone) };
  }
  const replicas = notDone.reduce((sum, n) => sum + n.replicas, 0);
  return replicas > 0 ? { kind: 'wait', nodeIds: ids(notDone), replicas } : { kind: 'finish', nodeIds: ids(notDone) };
}

import { csvFields } from '../multi-region/database-regions';

// What `cockroach node status --decommission --format=csv` reports about each node (CockroachDB
// v26.2 docs): "Show status and decommissioning details for active and inactive nodes"
// (https://www.cockroachlabs.com/docs/v26.2/cockroach-node#subcommands), one row per node with
// `id`, `locality`, `is_live`, `gossiped_replicas` ("the number of replicas on the node that are
// active members of a range. After the decommissioning process completes, this should be 0"),
// `is_decommissioning` and `is_draining` (https://www.cockroachlabs.com/docs/v26.2/cockroach-node#node-status),
// and `membership`: `active`, `decommissioning` once decommissioning starts, `decommissioned` once
// it completes (https://www.cockroachlabs.com/docs/v26.2/node-shutdown#status-change,
// https://www.cockroachlabs.com/docs/v26.2/node-shutdown#cockroach-node-status).
// The columns are read by name: the command prints more (address, build, times) than it reads.

/** A node's `membership` in the node's liveness record. */
export type NodeMembership = 'active' | 'decommissioning' | 'decommissioned';

/** One row of `cockroach node status --decommission`. */
export interface NodeDecommissionStatus {
  readonly nodeId: number;
  /** `region=us-west-2,zone=us-west-2a` (the node's `--locality`). */
  readonly locality: string;
  readonly live: boolean;
  /** `gossiped_replicas`: 0 once every replica moved away. */
  readonly replicas: number;
  readonly membership: NodeMembership;
  readonly draining: boolean;
}

const COLUMNS = ['id', 'locality', 'is_live', 'gossiped_replicas', 'membership', 'is_draining'] as const;
const MEMBERSHIPS: readonly string[] = ['active', 'decommissioning', 'decommissioned'];

/** The `region` tier of a locality (`region=us-west-2,zone=us-west-2a` -> `us-west-2`); undefined without one. */
export function localityRegion(locality: string): string | undefined {
  return locality
    .split(',')
    .map((tier) => tier.trim().split('='))
    .find(([key]) => key === 'region')?.[1];
}

/** Parses the CSV (header first); throws on output that is not `node status --decommission`'s. */
export function parseNodeDecommissionStatus(csv: string): NodeDecommissionStatus[] {
  const [header = '', ...rows] = csv.trim().split('\n');
  const names = csvFields(header);
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new Error(`unexpected output of cockroach node status --decommission (no ${missing.join(', ')} column): "${header}"`);
  const at = (fields: string[], column: (typeof COLUMNS)[number]): string => fields[names.indexOf(column)] ?? '';
  const bool = (text: string): boolean => text === 'true' || text === 't';
  return rows.filter(Boolean).map((row) => {
    const fields = csvFields(row);
    const nodeId = Number(at(fields, 'id'));
    const replicas = Number(at(fields, 'gossiped_replicas'));
    const membership = at(fields, 'membership');
    if (!Number.isInteger(nodeId) || !Number.isInteger(replicas) || !MEMBERSHIPS.includes(membership)) throw new Error(`unexpected row of cockroach node status --decommission: "${row}"`);
    return { nodeId, locality: at(fields, 'locality'), live: bool(at(fields, 'is_live')), replicas, membership: membership as NodeMembership, draining: bool(at(fields, 'is_draining')) };
  });
}

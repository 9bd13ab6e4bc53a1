import { OperationStopped } from './operation-stopped';
import { RollDependencies, RollResult, RollSettings, roll } from './roll';

// The roll of a multi-region cluster: one cockroach stack per region (the multi-region app's
// `cockroach-<region>` stacks, given to the command as a list, never guessed from a name
// pattern), rolled region by region, one node at a time across the whole cluster.
//
// - One node at a time in the whole cluster: each region's roll is the single-region roll
//   (roll.ts), whose health gate before every node also counts the nodes of the other regions'
//   stacks (crdb_internal.gossip_nodes: every node live, none draining; ranges are cluster-wide
//   already), so the gates between regions are the same as between nodes. CockroachDB's rolling
//   upgrade: "upgrade nodes one at a time", each after checking the whole cluster's health
//   (https://www.cockroachlabs.com/docs/v25.4/upgrade-cockroach-version#perform-the-rolling-upgrade).
// - Primary region last. CockroachDB's upgrade and multi-region docs give no order of regions;
//   what they do say: the Ory tables are REGIONAL BY TABLE IN PRIMARY REGION, whose leaseholders
//   (and, under SURVIVE REGION FAILURE, a quorum's worth of voting replicas) are in the primary
//   region (https://www.cockroachlabs.com/docs/v25.4/table-localities#regional-tables,
//   https://www.cockroachlabs.com/docs/v25.4/multiregion-survival-goals#survive-region-failures).
//   So the other regions' nodes go first: a bad build or boot setting shows itself on nodes that
//   hold none of Ory's leaseholders, and the primary's nodes, whose drains move Ory's leases, go
//   once six nodes run the new binary. A major upgrade is finalized only once every node of the
//   cluster runs it (roll-decision.ts), so `--finalize` takes effect in the last region.

/** One region's stack, with what its roll needs (its Terraform, SSM in its region, its target group). */
export interface RegionalRoll {
  readonly region: string;
  /** The synthesized stack's directory (for messages). */
  readonly stackDir: string;
  readonly deps: RollDependencies;
}

/** The stacks in the order they are rolled: the other regions in the order given, the primary region last. */
export function regionRollOrder<T extends { readonly region: string }>(stacks: readonly T[], primaryRegion: string): T[] {
  const regions = stacks.map((s) => s.region);
  const twice = regions.filter((r, i) => regions.indexOf(r) !== i);
  if (twice.length > 0) throw new OperationStopped(`two stacks are in the region ${[...new Set(twice)].join(', ')}: give each region's cockroach stack once`);
  if (!regions.includes(primaryRegion)) throw new OperationStopped(`the primary region ${primaryRegion} is none of the stacks' regions (${regions.join(', ')})`);
  return [...stacks.filter((s) => s.region !== primaryRegion), ...stacks.filter((s) => s.region === primaryRegion)];
}

/** Rolls each region's stack in regionRollOrder; stops at the first region that stops (the later ones are not touched). */
export async function rollRegions(stacks: readonly RegionalRoll[], primaryRegion: string, settings: RollSettings, log: (line: string) => void): Promise<RollResult[]> {
  const ordered = regionRollOrder(stacks, primaryRegion);
  log(`Regions in roll order (the primary region ${primaryRegion} last): ${ordered.map((s) => `${s.region} (${s.stackDir})`).join(', ')}`);
  const results: RollResult[] = [];
  for (const [i, stack] of ordered.entries()) {
    log(`== Region ${i + 1}/${ordered.length}: ${stack.region} (${stack.stackDir})`);
    try {
      results.push(await roll(stack.deps, settings));
    } catch (error) {
      if (!(error instanceof OperationStopped)) throw error;
      const untouched = ordered.slice(i + 1).map((s) => s.region);
      throw new OperationStopped(`${stack.region}: ${error.message}${untouched.length > 0 ? ` (not started: ${untouched.join(', ')})` : ''}`);
    }
  }
  return results;
}

import type { PropProblem } from '@crdb-ory/core';
import { SQL_PORT } from '../cockroach-names';

// Start flags of a node in a multi-region cluster (CockroachDB v25.4 docs, cockroach start):
// - `--locality=region=<r>,zone=<az>`: a `region` tier enables the multi-region capabilities, and
//   the regions of the nodes are the cluster regions a database can use
//   (https://www.cockroachlabs.com/docs/v25.4/cockroach-start#locality,
//   https://www.cockroachlabs.com/docs/v25.4/multiregion-overview#cluster-regions). Every node already
//   starts with `--locality=region=$AWS_REGION,zone=$LOCALITY_ZONE` (systemd-units.ts): a node's
//   region is the AWS region it runs in, its zone its availability zone, in one region or several.
// - `--join`: "When starting a cluster in multiple regions, specify more than 1 address per region,
//   and select nodes that are spread across failure domains"
//   (https://www.cockroachlabs.com/docs/v25.4/cockroach-start#networking, the `--join` row).
// - `--max-offset`: "For new clusters using the multi-region SQL abstractions, Cockroach Labs
//   recommends lowering the --max-offset setting to 250ms"; the default is 500ms; "Nodes can run
//   with different values for --max-offset, but only for the purpose of updating the setting across
//   the cluster using a rolling upgrade" (https://www.cockroachlabs.com/docs/v25.4/multiregion-overview#overview,
//   https://www.cockroachlabs.com/docs/v25.4/cockroach-start#flags-max-offset).

/** The `--max-offset` CockroachDB recommends for new multi-region clusters. */
export const MULTI_REGION_MAX_OFFSET = '250ms';

/** CockroachDB's own default `--max-offset` (no flag). */
export const DEFAULT_MAX_OFFSET = '500ms';

/**
 * Problems with a `--max-offset` value (empty: usable): whole milliseconds (`250ms`), above 0 and
 * at most CockroachDB's default 500ms. A higher value is CockroachDB's to allow, not ours: raising
 * it "will increase the time to recovery of failures" (cockroach start, `--max-offset`), so this
 * package offers only the default or lower.
 */
export function maxOffsetProblems(value: string | undefined, prop = 'maxOffset'): PropProblem[] {
  if (value === undefined) return [];
  const ms = /^([1-9]\d*)ms$/.exec(value)?.[1];
  if (ms === undefined || Number(ms) > 500) return [{ prop, value, message: `allowed are whole milliseconds from 1ms to ${DEFAULT_MAX_OFFSET} (CockroachDB's default); ${MULTI_REGION_MAX_OFFSET} is what CockroachDB recommends for multi-region clusters` }];
  return [];
}

/** One region's nodes, for the cluster-wide join list. */
export interface RegionNodes {
  readonly region: string;
  /** The nodes' private IPs (or Terraform expressions of them), one per availability zone. */
  readonly nodeIps: readonly string[];
}

/**
 * The one `--join` list of a cluster spanning `regions`: every region's nodes (`ip:26257`), region
 * by region in the given order. Each region's nodes sit in different availability zones, so the
 * list spans the failure domains, with more than one address per region.
 */
export function multiRegionJoinAddresses(regions: readonly RegionNodes[]): string[] {
  return regions.flatMap((r) => r.nodeIps.map((ip) => `${ip}:${SQL_PORT}`));
}

/** Problems with the regions of a join list (empty: usable): each region listed once, with more than one node. */
export function joinRegionsProblems(regions: readonly RegionNodes[], prop = 'regions'): PropProblem[] {
  const problems: PropProblem[] = [];
  regions.forEach((r, i) => {
    if (regions.findIndex((o) => o.region === r.region) !== i) problems.push({ prop: `${prop}[${i}].region`, value: r.region, message: 'is listed twice' });
    if (r.nodeIps.length < 2) problems.push({ prop: `${prop}[${i}].nodeIps`, value: r.nodeIps, message: 'CockroachDB asks for more than one join address per region (cockroach start, --join)' });
  });
  return problems;
}

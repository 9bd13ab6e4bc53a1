import { ORY_DATABASES } from '../sql-users';
import type { ObservedDatabaseRegions, ObservedRegions, SurvivalGoal } from './database-regions';

// The multi-region SQL of the Ory databases as a pure decision over observed state (the
// CockroachDB operator's model): what the cluster reports (database-regions.ts) in, the ordered
// statements that converge it out, or a refusal. Every statement is idempotent, so running the
// list twice changes nothing. The order, and each rule, from CockroachDB's v25.4 docs:
//
// 1. `SET PRIMARY REGION` first. On a database that is not multi-region yet it makes every table
//    REGIONAL BY TABLE in the primary region; "given a cluster with multiple regions" that moves
//    the voting replicas and leaseholders there (rebalancing), so the bootstrap sets it while the
//    cluster has only the primary region's nodes
//    (https://www.cockroachlabs.com/docs/v25.4/alter-database#set-the-primary-region). ADD REGION
//    needs a primary region first (https://www.cockroachlabs.com/docs/v25.4/alter-database#add-region).
//    Switching the primary of a multi-region database needs the new one added first
//    (#change-the-existing-primary-region), and not to be the secondary region (pkg/sql/alter_database.go,
//    switchPrimaryRegion: "region %s is currently the secondary region").
// 2. `ADD REGION IF NOT EXISTS` for every other desired region (the synopsis allows IF NOT EXISTS);
//    only cluster regions, those of live nodes, can be added
//    (https://www.cockroachlabs.com/docs/v25.4/show-regions#view-the-regions-in-a-single-database).
//    A desired region with no node yet is refused here, before any statement.
// 3. `SURVIVE REGION FAILURE` once the database has at least 3 regions
//    (https://www.cockroachlabs.com/docs/v25.4/multiregion-survival-goals#survive-region-failures);
//    with fewer it stays at ZONE, the default.
// 4. `SET SECONDARY REGION` to the second desired region: it must be a database region and not
//    the primary (https://www.cockroachlabs.com/docs/v25.4/alter-database#set-secondary-region).
// Removal (a region no longer desired), after the additions so the count never dips needlessly:
// 5. `SURVIVE ZONE FAILURE` before the database would keep fewer than 3 regions: DROP REGION is
//    refused with the REGION goal and only three regions
//    (https://www.cockroachlabs.com/docs/v25.4/alter-database#drop-region).
// 6. `DROP SECONDARY REGION IF EXISTS` when no secondary is desired: the secondary region cannot
//    be dropped (same section); a secondary that stays desired is re-pointed in step 4 instead.
// 7. `DROP REGION IF EXISTS` for each region no longer desired (never the primary: step 1 moved it).
//
// Table localities stay at the default (REGIONAL BY TABLE in the primary region): docs/cockroach.md,
// "Multi-region", says why REGIONAL BY ROW is not used with open-source Ory.

/** The regions the Ory databases should have, in order: primary, secondary, then the others. */
export interface DesiredRegions {
  /** At least one; the first is the primary region, the second (if any) the secondary region. */
  readonly regions: readonly string[];
  /** The databases to converge. @default ORY_DATABASES (hydra, kratos, keto) */
  readonly databases?: readonly string[];
}

/** The decision: statements to run in order (empty: converged), or why it will not decide. */
export type RegionConvergence = { readonly kind: 'statements'; readonly statements: readonly string[] } | { readonly kind: 'refused'; readonly reason: string };

/** The regions a database with the REGION survival goal needs (https://www.cockroachlabs.com/docs/v26.2/multiregion-survival-goals#survive-region-failures). */
export const REGION_GOAL_MIN_REGIONS = 3;

/** The survival goal that makes each database survive the loss of a region once it can (REGION_GOAL_MIN_REGIONS regions or more). */
export function targetSurvivalGoal(regionCount: number): SurvivalGoal {
  return regionCount >= REGION_GOAL_MIN_REGIONS ? 'region' : 'zone';
}

/**
 * The state the convergence leads each database to, and what a verifier expects to find: the
 * first desired region as primary, the second (if any) as secondary, exactly the desired regions,
 * and the survival goal of targetSurvivalGoal. decideRegionConvergence returns no statement for it.
 */
export function expectedDatabaseRegions(desired: DesiredRegions, database: string): ObservedDatabaseRegions {
  const [primary, secondary] = desired.regions;
  return {
    database,
    primaryRegion: primary ?? null,
    secondaryRegion: secondary ?? null,
    regions: [...desired.regions],
    survivalGoal: desired.regions.length === 0 ? null : targetSurvivalGoal(desired.regions.length),
  };
}

const quoteRegion = (region: string): string => `"${region}"`;

/** Problems with the desired regions themselves (empty: usable). */
export function desiredRegionsProblems(desired: DesiredRegions): string[] {
  const problems: string[] = [];
  if (desired.regions.length === 0) problems.push('no region is desired: at least the primary region is needed');
  const repeated = desired.regions.filter((r, i) => desired.regions.indexOf(r) !== i);
  if (repeated.length > 0) problems.push(`regions are listed twice: ${[...new Set(repeated)].join(', ')}`);
  for (const r of desired.regions) if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(r)) problems.push(`"${r}" is not a region name (lower-case letters, digits and "-")`);
  return problems;
}

/**
 * The statements that converge the databases to `desired`, given what the cluster reports, or a
 * refusal when a desired region has no live node yet, or a database does not exist. Nothing is
 * decided partially: a refusal carries no statement.
 */
export function decideRegionConvergence(desired: DesiredRegions, observed: ObservedRegions): RegionConvergence {
  const problems = desiredRegionsProblems(desired);
  if (problems.length > 0) return { kind: 'refused', reason: `Invalid desired regions: ${problems.join('; ')}.` };
  const withoutNodes = desired.regions.filter((r) => !observed.clusterRegions.includes(r));
  if (withoutNodes.length > 0) {
    return {
      kind: 'refused',
      reason: `No live node has the region ${withoutNodes.join(', ')} (SHOW REGIONS FROM CLUSTER: ${observed.clusterRegions.join(', ') || 'none'}): start that region's nodes with --locality=region=<region>,zone=<zone> before adding it to the databases.`,
    };
  }
  const databases = (desired.databases ?? ORY_DATABASES).map((d) => ({ name: d, observed: observed.databases.find((o) => o.database === d) }));
  const missing = databases.filter((d) => d.observed === undefined).map((d) => d.name);
  if (missing.length > 0) return { kind: 'refused', reason: `The database ${missing.join(', ')} does not exist: run the bootstrap SQL first.` };
  return { kind: 'statements', statements: databases.flatMap((d) => (d.observed ? databaseStatements(d.name, desired.regions, d.observed) : [])) };
}

/** One database's statements, in the order of the header. */
function databaseStatements(db: string, desired: readonly string[], observed: ObservedDatabaseRegions): string[] {
  const alter = (clause: string) => `ALTER DATABASE ${db} ${clause}`;
  const [primary, secondary] = desired;
  const statements: string[] = [];
  let regions = [...observed.regions];
  let secondaryNow = observed.secondaryRegion;
  let goal = observed.survivalGoal;

  if (observed.primaryRegion === null) {
    statements.push(alter(`SET PRIMARY REGION ${quoteRegion(primary)}`));
    regions = [primary];
    goal = 'zone';
  } else if (observed.primaryRegion !== primary) {
    if (!regions.includes(primary)) {
      statements.push(alter(`ADD REGION IF NOT EXISTS ${quoteRegion(primary)}`));
      regions.push(primary);
    }
    if (secondaryNow === primary) {
      statements.push(alter('DROP SECONDARY REGION IF EXISTS'));
      secondaryNow = null;
    }
    statements.push(alter(`SET PRIMARY REGION ${quoteRegion(primary)}`));
  }
  for (const region of desired.slice(1).filter((r) => !regions.includes(r))) {
    statements.push(alter(`ADD REGION IF NOT EXISTS ${quoteRegion(region)}`));
    regions.push(region);
  }
  const target = targetSurvivalGoal(desired.length);
  if (target === 'region' && goal !== 'region') {
    statements.push(alter('SURVIVE REGION FAILURE'));
    goal = 'region';
  }
  if (secondary !== undefined && secondaryNow !== secondary) {
    statements.push(alter(`SET SECONDARY REGION ${quoteRegion(secondary)}`));
    secondaryNow = secondary;
  }
  if (target === 'zone' && goal === 'region') statements.push(alter('SURVIVE ZONE FAILURE'));
  if (secondary === undefined && secondaryNow !== null) statements.push(alter('DROP SECONDARY REGION IF EXISTS'));
  for (const region of regions.filter((r) => !desired.includes(r))) statements.push(alter(`DROP REGION IF EXISTS ${quoteRegion(region)}`));
  return statements;
}

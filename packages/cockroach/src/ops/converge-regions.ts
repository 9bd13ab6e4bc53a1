import { CLUSTER_REGIONS_QUERY, ObservedRegions, databaseRegionsQuery, parseClusterRegions, parseDatabaseRegions } from '../multi-region/database-regions';
import { DesiredRegions, decideRegionConvergence } from '../multi-region/region-convergence';
import { ORY_DATABASES } from '../sql-users';
import { parseStatusReport } from './node-commands';
import { NodeShell, runSqlStatements } from './node-shell';
import { OperationStopped } from './operation-stopped';

// The day-2 action "converge the Ory databases' regions" (`crdb-ory-cockroach regions`), the
// CockroachDB operator's loop around the pure decision of region-convergence.ts: observe (SHOW
// REGIONS FROM CLUSTER, SHOW DATABASES), decide, apply ONE statement, observe again. The list a
// decision returns is never replayed: each statement changes what the next decision sees (and
// CockroachDB refuses some statements once an earlier one took effect, e.g. DROP REGION under the
// REGION goal with three regions left: see the stub's sql.alter-database-drop-region row).

/** Runs SQL as root somewhere in the cluster: each statement's CSV, in order. */
export interface RegionSql {
  /** Runs `statements` in order, stopping at the first that fails. */
  run(statements: readonly string[]): Promise<{ readonly ok: boolean; readonly results: readonly string[]; readonly error: string }>;
}

export interface ConvergeRegionsDependencies {
  readonly sql: RegionSql;
  readonly log: (line: string) => void;
}

export interface ConvergeRegionsSettings {
  readonly desired: DesiredRegions;
  /** Observe, decide and print the statements; change nothing. */
  readonly dryRun: boolean;
}

export interface ConvergeRegionsResult {
  /** The statements applied (a dry run: the statements it would apply, as decided now). */
  readonly statements: readonly string[];
  /** What the cluster reports at the end. */
  readonly observed: ObservedRegions;
}

/** At most this many statements in one run: 7 per database is the longest a decision gets (region-convergence.ts). */
const statementLimit = (databases: number): number => 10 * databases + 10;

/**
 * Converges the Ory databases to `desired`. Throws OperationStopped, naming what was applied so
 * far, when the decision refuses, a statement fails, or a statement changes nothing CockroachDB
 * reports (the loop would never end).
 */
export async function convergeRegions(deps: ConvergeRegionsDependencies, settings: ConvergeRegionsSettings): Promise<ConvergeRegionsResult> {
  const { desired } = settings;
  const databases = desired.databases ?? ORY_DATABASES;
  let observed = await observeRegions(deps.sql, databases);
  describe(deps.log, observed);
  const applied: string[] = [];
  const sofar = (): string => (applied.length === 0 ? 'Nothing was applied.' : `Applied before stopping: ${applied.join('; ')}.`);
  for (;;) {
    const decision = decideRegionConvergence(desired, observed);
    if (decision.kind === 'refused') throw new OperationStopped(`stopped: ${decision.reason} ${sofar()}`);
    if (decision.statements.length === 0) {
      deps.log(applied.length === 0 ? `Done: ${databases.join(', ')} already have the regions ${desired.regions.join(', ')} (primary ${desired.regions[0]}).` : `Done: ${applied.length} statement(s) applied; ${databases.join(', ')} have the regions ${desired.regions.join(', ')} (primary ${desired.regions[0]}).`);
      return { statements: applied, observed };
    }
    if (settings.dryRun) {
      deps.log('Statements, in order (each one is applied alone, and the rest decided again from what the cluster then reports):');
      for (const [i, statement] of decision.statements.entries()) deps.log(`  ${i + 1}. ${statement}`);
      return { statements: decision.statements, observed };
    }
    if (applied.length >= statementLimit(databases.length)) throw new OperationStopped(`stopped: ${applied.length} statements applied and the databases still do not converge. ${sofar()}`);
    const [statement] = decision.statements;
    deps.log(`Applying ${statement}`);
    const result = await deps.sql.run([statement]);
    if (!result.ok) throw new OperationStopped(`stopped: \`${statement}\` failed: ${result.error.trim()}. ${sofar()}`);
    applied.push(statement);
    const before = JSON.stringify(observed);
    observed = await observeRegions(deps.sql, databases);
    if (JSON.stringify(observed) === before) throw new OperationStopped(`stopped: \`${statement}\` succeeded but the cluster reports no change. ${sofar()}`);
  }
}

/** The two queries of database-regions.ts, in one call. */
export async function observeRegions(sql: RegionSql, databases: readonly string[]): Promise<ObservedRegions> {
  const result = await sql.run([CLUSTER_REGIONS_QUERY, databaseRegionsQuery(databases)]);
  const [cluster, dbs] = result.results;
  if (!result.ok || cluster === undefined || dbs === undefined) throw new OperationStopped(`stopped: the regions could not be read: ${result.error.trim()}`);
  return { clusterRegions: parseClusterRegions(cluster), databases: parseDatabaseRegions(dbs) };
}

function describe(log: (line: string) => void, observed: ObservedRegions): void {
  log(`Cluster regions (live nodes): ${observed.clusterRegions.join(', ') || 'none'}`);
  for (const d of observed.databases) {
    log(
      d.primaryRegion === null
        ? `  ${d.database}: not multi-region`
        : `  ${d.database}: primary ${d.primaryRegion}, secondary ${d.secondaryRegion ?? 'none'}, regions ${d.regions.join(', ')}, survival goal ${d.survivalGoal ?? 'none'}`,
    );
  }
}

/**
 * RegionSql through SSM Run Command: root on the first of `instanceIds` that answers
 * `/health?ready=1` with 200 (the same node for the whole run, asked again when it stops answering).
 */
export class NodeRegionSql implements RegionSql {
  private instanceId: string | undefined;

  constructor(
    private readonly nodes: NodeShell,
    private readonly instanceIds: readonly string[],
    private readonly log: (line: string) => void,
  ) {}

  async run(statements: readonly string[]): Promise<{ ok: boolean; results: readonly string[]; error: string }> {
    const instanceId = this.instanceId ?? (await this.readyNode());
    const result = await runSqlStatements(this.nodes, instanceId, statements);
    if (!result.ok) this.instanceId = undefined;
    return { ok: result.ok, results: result.results, error: result.ok ? '' : `${result.status}: ${result.stderr || result.stdout}` };
  }

  /** Runs a node command action (node-commands.ts) on the same ready node. */
  protected async action(args: readonly string[], timeoutSeconds: number): Promise<{ ok: boolean; stdout: string; error: string }> {
    const instanceId = this.instanceId ?? (await this.readyNode());
    const result = await this.nodes.run(instanceId, args, timeoutSeconds);
    if (!result.ok) this.instanceId = undefined;
    return { ok: result.ok, stdout: result.stdout, error: result.ok ? '' : `${result.status}: ${result.stderr || result.stdout}` };
  }

  private async readyNode(): Promise<string> {
    for (const instanceId of this.instanceIds) {
      const status = await this.nodes.run(instanceId, ['status'], 120);
      if (status.ok && parseStatusReport(status.stdout).readyCode === '200') {
        this.log(`SQL runs as root on ${instanceId}.`);
        this.instanceId = instanceId;
        return instanceId;
      }
    }
    throw new OperationStopped('stopped: no node of the stack is ready (/health?ready=1)');
  }
}

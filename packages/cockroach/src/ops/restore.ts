import { parseStatusReport } from './node-commands';
import { NodeShell, csvRows, runSqlOnNode } from './node-shell';
import { RESTORED_SUFFIX, RestoreMode, restoreStatements } from './restore-sql';
import { OperationStopped } from './operation-stopped';

export interface RestoreDependencies {
  readonly nodes: NodeShell;
  /** The cockroach stack's outputs (`terraform output -json`). */
  readonly outputs: Record<string, unknown>;
  /** Each node's instance id, from state (outputs lag after a roll's targeted applies). */
  readonly instanceIds: readonly string[];
  readonly region: string;
  readonly log: (line: string) => void;
}

export interface RestoreSettings {
  readonly databases: readonly string[];
  readonly mode: RestoreMode;
  /** The cluster to restore from; default the cluster itself. */
  readonly fromClusterId?: string;
  readonly asOf?: string;
  /** List the clusters with a backup collection in the bucket, and stop. */
  readonly list: boolean;
  readonly dryRun: boolean;
  /** Seconds one RESTORE may run. */
  readonly timeoutSeconds: number;
}

/**
 * Restores Ory databases from the backup bucket (`RESTORE DATABASE ... FROM LATEST IN
 * '<collection>'`) as root on a ready node, through SSM: into the same cluster (side by side,
 * or replacing the live databases), or from another cluster's collection into this one (a new
 * cluster taking over an old one's data).
 */
export async function restore(deps: RestoreDependencies, settings: RestoreSettings): Promise<void> {
  const bucket = deps.outputs['backup_bucket_name'];
  if (typeof bucket !== 'string' || bucket === '') throw new OperationStopped('the stack has no backup bucket (backup_bucket_name is empty: backups are off), so there is nothing to restore from');
  const node = await firstReadyNode(deps);
  if (settings.list) {
    const listed = await deps.nodes.run(node.instanceId, ['collections', bucket], 300);
    if (!listed.ok) throw new OperationStopped(`listing s3://${bucket}/clusters/ failed on node ${node.node}: ${listed.stderr.trim()}`);
    const ids = listed.stdout.split('\n').filter((l) => l.startsWith('collection=')).map((l) => l.slice('collection='.length));
    deps.log(ids.length === 0 ? `No backup collection in s3://${bucket}/clusters/ yet.` : `Backup collections in s3://${bucket}/clusters/ (one per cluster id):\n${ids.map((id) => `  ${id}`).join('\n')}`);
    return;
  }
  const fromClusterId = settings.fromClusterId ?? (await currentClusterId(deps, node.instanceId));
  const statements = restoreStatements({ databases: settings.databases, mode: settings.mode, bucketName: bucket, region: deps.region, fromClusterId, asOf: settings.asOf });
  if (settings.mode === 'side-by-side') await refuseExisting(deps, node.instanceId, settings.databases.map((db) => `${db}${RESTORED_SUFFIX}`));
  deps.log(`${settings.dryRun ? 'Dry run: would run' : 'Running'} on node ${node.node} (${node.instanceId}), as root:`);
  for (const statement of statements) deps.log(`  ${statement};`);
  if (settings.dryRun) return;
  for (const statement of statements) {
    deps.log(`  ... ${statement.split(' FROM ')[0]}`);
    const result = await runSqlOnNode(deps.nodes, node.instanceId, statement, settings.timeoutSeconds);
    if (!result.ok) throw new OperationStopped(`\`${statement}\` failed (${result.status}): ${(result.stderr || result.stdout).trim()}`);
  }
  deps.log(
    settings.mode === 'side-by-side'
      ? `Restored ${settings.databases.map((db) => `${db} as ${db}${RESTORED_SUFFIX}`).join(', ')}. Compare, copy what you need, then DROP DATABASE <db>${RESTORED_SUFFIX} CASCADE.`
      : `Restored ${settings.databases.join(', ')} in place. Start Ory again (kubectl -n ory scale deployment --replicas=3 ...), then run the verifier.`,
  );
}

async function firstReadyNode(deps: RestoreDependencies): Promise<{ node: number; instanceId: string }> {
  for (const [i, instanceId] of deps.instanceIds.entries()) {
    const status = await deps.nodes.run(instanceId, ['status'], 120);
    if (status.ok && parseStatusReport(status.stdout).readyCode === '200') return { node: i + 1, instanceId };
  }
  throw new OperationStopped('no node is ready (/health?ready=1): the cluster must be up to restore into it');
}

async function currentClusterId(deps: RestoreDependencies, instanceId: string): Promise<string> {
  const result = await runSqlOnNode(deps.nodes, instanceId, 'SELECT crdb_internal.cluster_id() AS cluster_id');
  const id = result.ok ? csvRows(result.stdout)[0]?.[0] : undefined;
  if (!id) throw new OperationStopped(`cannot read the cluster id: ${result.stderr.trim()}`);
  return id;
}

async function refuseExisting(deps: RestoreDependencies, instanceId: string, names: readonly string[]): Promise<void> {
  const result = await runSqlOnNode(deps.nodes, instanceId, 'SELECT database_name FROM [SHOW DATABASES]');
  if (!result.ok) throw new OperationStopped(`cannot list the databases: ${result.stderr.trim()}`);
  const existing = csvRows(result.stdout).map((row) => row[0]);
  const taken = names.filter((name) => existing.includes(name));
  if (taken.length > 0) throw new OperationStopped(`${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''} (an earlier side-by-side restore): drop ${taken.length === 1 ? 'it' : 'them'} first (DROP DATABASE <name> CASCADE)`);
}

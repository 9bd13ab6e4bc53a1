import { DatabaseAccess, accessGrantStatements, accessProblems, catalogObjectsQuery, databasePrivilegesQuery, nextOwnershipStatements, parseCatalogObjects } from '../database-access';
import { OryDatabase } from '../sql-users';
import { BackupChain, chainCovering, describeWindows, latestChain, parseBackupChains, parseTimestamp, restorableWindows } from './backup-chains';
import { parseStatusReport } from './node-commands';
import { NodeShell, csvRows, runSqlStatements } from './node-shell';
import { OperationStopped } from './operation-stopped';
import {
  LOCALITIES_MISMATCH,
  ORY_MARKER_TABLE,
  PREVIOUS_SUFFIX,
  RESTORED_SUFFIX,
  RestoreMode,
  STAGING_SUFFIX,
  backupTablesSql,
  restoreCollectionUri,
  restoreDatabaseSql,
  restoreTarget,
  swapSql,
  unswapSql,
  userSessionsSql,
  validateFromBucket,
  validateRestoreSelection,
} from './restore-sql';

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
  /** List the clusters with a backup collection in the bucket and the times each can restore, and stop. */
  readonly list: boolean;
  /** Drop the databases a replace restore kept (`<db>_before_restore`), and stop. */
  readonly dropPrevious: boolean;
  readonly dryRun: boolean;
  /** Seconds one RESTORE may run. */
  readonly timeoutSeconds: number;
  /** RESTORE `WITH skip_localities_check` (see `RestoreSqlOptions`): after losing a region. @default false */
  readonly skipLocalitiesCheck?: boolean;
  /**
   * Restore from this bucket, in `fromBucketRegion`, instead of the stack's `backup_bucket_name`:
   * the replica in the secondary region when the primary region (and its bucket) is lost. The
   * nodes' role must be able to read it and use its key (see docs/cockroach.md).
   * @default the stack's backup bucket, in the stack's region
   */
  readonly fromBucket?: string;
  readonly fromBucketRegion?: string;
}

/**
 * Restores Ory databases from the backup bucket as root on a ready node, through SSM: into the
 * same cluster (side by side, or replacing the live databases), or from another cluster's
 * collection into this one (a new cluster taking over an old one's data).
 *
 * A database restore leaves root owning every object and no grant (RESTORE docs, "Users and
 * privileges"; restore-grants test data), so every restored database gets the access the
 * bootstrap gives (database-access.ts) and is checked before anything live changes. `replace`
 * restores under a staging name, checks it, then swaps by renaming, keeping the live database
 * under `<db>_before_restore` until `--drop-previous`: a failed or interrupted restore leaves the
 * live databases as they were.
 */
export async function restore(deps: RestoreDependencies, settings: RestoreSettings): Promise<void> {
  validateRestoreSelection(settings.databases, settings.asOf);
  validateFromBucket(settings.fromBucket, settings.fromBucketRegion);
  const bucket = settings.fromBucket ?? deps.outputs['backup_bucket_name'];
  if (typeof bucket !== 'string' || bucket === '') throw new OperationStopped('the stack has no backup bucket (backup_bucket_name is empty: backups are off), so there is nothing to restore from (or name one: --from-bucket, --bucket-region)');
  const node = await firstReadyNode(deps);
  const run = new RestoreRun(deps, node, settings);
  if (settings.list) return run.list(bucket);
  if (settings.dropPrevious) return run.dropPrevious();
  return run.restore(bucket);
}

interface ReadyNode {
  readonly node: number;
  readonly instanceId: string;
}

class RestoreRun {
  private readonly accesses: DatabaseAccess[];

  constructor(
    private readonly deps: RestoreDependencies,
    private readonly node: ReadyNode,
    private readonly settings: RestoreSettings,
  ) {
    this.accesses = settings.databases.map((db) => accessOf(deps.outputs, db));
  }

  async list(bucket: string): Promise<void> {
    const listed = await this.deps.nodes.run(this.node.instanceId, ['collections', bucket], 300);
    if (!listed.ok) throw new OperationStopped(`listing s3://${bucket}/clusters/ failed on node ${this.node.node}: ${listed.stderr.trim()}`);
    const ids = listed.stdout.split('\n').filter((l) => l.startsWith('collection=')).map((l) => l.slice('collection='.length));
    if (ids.length === 0) {
      this.deps.log(`No backup collection in s3://${bucket}/clusters/ yet.`);
      return;
    }
    const current = await this.clusterId();
    this.deps.log(`Backup collections in s3://${bucket}/clusters/ (one per cluster id) and the times a restore can reach (UTC):`);
    for (const id of ids) {
      const chains = await this.chains(restoreCollectionUri(this.request(bucket, id)));
      this.deps.log(`  ${id}${id === current ? ' (this cluster)' : ''}: ${describeWindows(restorableWindows(chains))}`);
      for (const chain of chains.filter((c) => c.layers.length === 0)) this.deps.log(`    ${chain.path}: unreadable (a full backup that failed or is running)`);
    }
  }

  async dropPrevious(): Promise<void> {
    const existing = await this.databaseNames();
    const kept = this.settings.databases.map((db) => `${db}${PREVIOUS_SUFFIX}`).filter((name) => existing.includes(name));
    if (kept.length === 0) throw new OperationStopped(`no database kept by a replace restore (${this.settings.databases.map((db) => `${db}${PREVIOUS_SUFFIX}`).join(', ')}) exists: nothing to drop`);
    const statements = kept.map((name) => `DROP DATABASE IF EXISTS ${name} CASCADE`);
    this.deps.log(`${this.settings.dryRun ? 'Dry run: would run' : 'Running'} on node ${this.node.node} (${this.node.instanceId}), as root:`);
    for (const statement of statements) this.deps.log(`  ${statement};`);
    if (this.settings.dryRun) return;
    await this.sql(statements);
    this.deps.log(`Dropped ${kept.join(', ')}: the restore is final.`);
  }

  async restore(bucket: string): Promise<void> {
    const { mode, dryRun } = this.settings;
    const fromClusterId = this.settings.fromClusterId ?? (await this.clusterId());
    const request = this.request(bucket, fromClusterId);
    const collection = restoreCollectionUri(request);
    const chain = this.choose(await this.chains(collection), collection);
    const existing = await this.databaseNames();
    const targets = this.settings.databases.map((db) => ({ db, target: restoreTarget(db, mode), live: existing.includes(db) }));

    if (mode === 'side-by-side') {
      const taken = targets.filter((t) => existing.includes(t.target)).map((t) => t.target);
      if (taken.length > 0) throw new OperationStopped(`${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''} (an earlier side-by-side restore): drop ${taken.length === 1 ? 'it' : 'them'} first (DROP DATABASE <name> CASCADE)`);
    } else {
      const kept = targets.map((t) => `${t.db}${PREVIOUS_SUFFIX}`).filter((name) => existing.includes(name));
      if (kept.length > 0) {
        throw new OperationStopped(
          `${kept.join(', ')} still hold${kept.length === 1 ? 's' : ''} the databases an earlier replace restore swapped out: check the restored ones, then drop ${kept.length === 1 ? 'it' : 'them'} (restore --drop-previous --yes) before restoring again`,
        );
      }
      await this.refuseOpenSessions('before restoring');
    }

    const leftovers = targets.filter((t) => mode === 'replace' && existing.includes(t.target)).map((t) => t.target);
    const plan = [
      ...leftovers.map((name) => `DROP DATABASE IF EXISTS ${name} CASCADE`),
      ...targets.map((t) => this.restoreSql(t.db, t.target, collection, chain.path)),
    ];
    this.deps.log(`${dryRun ? 'Dry run: would restore' : 'Restoring'} from backup ${chain.path} of cluster ${fromClusterId}${this.settings.asOf ? ` as of ${this.settings.asOf}` : ' (its latest time)'}, on node ${this.node.node} (${this.node.instanceId}), as root:`);
    for (const statement of plan) this.deps.log(`  ${statement};`);
    this.deps.log(`  then give each restored database the access the bootstrap gives (owner ${this.accesses.map((a) => a.owner).join(', ')}; reader ${this.accesses[0]?.reader}) and check it`);
    if (mode === 'replace') this.deps.log(`  then swap: ${targets.flatMap((t) => swapSql(t.db, t.live)).join('; ')} (the live databases are kept as <db>${PREVIOUS_SUFFIX})`);
    if (dryRun) return;

    if (leftovers.length > 0) {
      this.deps.log(`  ... dropping ${leftovers.join(', ')} (left by an interrupted restore; never live)`);
      await this.sql(leftovers.map((name) => `DROP DATABASE IF EXISTS ${name} CASCADE`));
    }
    const restored: string[] = [];
    try {
      for (const t of targets) {
        this.deps.log(`  ... RESTORE DATABASE ${t.db} as ${t.target}`);
        await this.sql([this.restoreSql(t.db, t.target, collection, chain.path)], { timeoutSeconds: this.settings.timeoutSeconds });
        restored.push(t.target);
      }
      for (const [i, t] of targets.entries()) {
        const access = this.accesses[i];
        if (!access) throw new Error(`no access record for ${t.db}`);
        await this.giveAccessAndCheck(access, t.target, collection, chain);
      }
    } catch (error) {
      if (mode === 'replace') await this.discard(restored);
      const hint = (error as Error).message.includes(LOCALITIES_MISMATCH) && !this.settings.skipLocalitiesCheck
        ? '\nThe backed-up databases have a region in which the cluster has no live node (a lost region, or one not started yet): start that region\'s nodes first, or restore with --skip-localities-check (the restored databases keep the backup\'s regions; converge the database regions afterwards to drop the lost one).'
        : '';
      throw new OperationStopped(`${(error as Error).message}${hint}\nThe live databases were not touched${mode === 'replace' && restored.length > 0 ? `; the restored copies (${restored.join(', ')}) were dropped` : ''}.`);
    }

    if (mode === 'side-by-side') {
      this.deps.log(`Restored ${targets.map((t) => `${t.db} as ${t.target}`).join(', ')}, owned by the service users and checked. Compare, copy what you need, then DROP DATABASE <db>${RESTORED_SUFFIX} CASCADE.`);
      return;
    }
    try {
      await this.refuseOpenSessions('before the swap');
    } catch (error) {
      await this.discard(restored);
      throw new OperationStopped(`${(error as Error).message}\nThe live databases were not touched; the restored copies (${restored.join(', ')}) were dropped.`);
    }
    await this.swap(targets);
    this.deps.log(
      `Restored ${targets.map((t) => t.db).join(', ')} from backup ${chain.path}${this.settings.asOf ? ` as of ${this.settings.asOf}` : ''}; the previous databases are kept as ${targets.filter((t) => t.live).map((t) => `${t.db}${PREVIOUS_SUFFIX}`).join(', ') || '(none: there were none)'}.\n` +
        'Next: start Ory again (kubectl -n ory scale deployment hydra kratos keto --replicas=3) and run the verifier. ' +
        `When satisfied, drop the previous databases: restore --drop-previous --yes${this.settings.databases.length < 3 ? ` --database ${this.settings.databases.join(',')}` : ''}.`,
    );
  }

  private choose(chains: readonly BackupChain[], collection: string): BackupChain {
    if (this.settings.asOf === undefined) {
      const latest = latestChain(chains);
      if (!latest) throw new OperationStopped(`${collection.split('?')[0]} holds no readable backup (${chains.length} unreadable): nothing to restore`);
      return latest;
    }
    const chosen = chainCovering(chains, parseTimestamp(this.settings.asOf));
    if ('refusal' in chosen) throw new OperationStopped(`--as-of ${this.settings.asOf}: ${chosen.refusal}. Pick a time inside them (restore --list shows them).`);
    if (chosen.revisionHistoryDecides) this.deps.log(`--as-of ${this.settings.asOf} lies between two backup chains: restoring from the next one, ${chosen.chain.path}, if its revision history reaches back that far (CockroachDB checks).`);
    return chosen.chain;
  }

  /**
   * Ownership of every object, then the grants (what the bootstrap and the migrations give a new
   * cluster), then the check: a complete, usable Ory database, with the tables of the backup,
   * Ory's marker table and the access of a new cluster. Few SSM commands: each runs several statements.
   */
  private async giveAccessAndCheck(access: DatabaseAccess, database: string, collection: string, chain: BackupChain): Promise<void> {
    this.deps.log(`  ... ${database}: owner ${access.owner}, grants as the bootstrap gives them`);
    const catalog = catalogObjectsQuery(access.reader);
    let objects = parseCatalogObjects(csvRows((await this.sql([catalog], { database })).results[0] ?? ''));
    for (let round = 0; round < 4; round++) {
      const statements = nextOwnershipStatements(objects, access.owner);
      if (statements.length === 0) break;
      const results = (await this.sql([...statements, catalog], { database })).results;
      objects = parseCatalogObjects(csvRows(results[results.length - 1] ?? ''));
    }
    const grants = accessGrantStatements(access, database);
    const granted = [...grants.onDatabase, ...grants.inDatabase];
    const results = (await this.sql([...granted, catalog, databasePrivilegesQuery(access), backupTablesSql(chain.path, collection, access.service)], { database })).results;
    objects = parseCatalogObjects(csvRows(results[granted.length] ?? ''));
    const problems = accessProblems(access, objects, csvRows(results[granted.length + 1] ?? '')[0] ?? []);
    const backedUp = csvRows(results[granted.length + 2] ?? '').map((r) => r[0] ?? '');
    const tables = objects.filter((o) => o.kind === 'r').map((o) => o.name);
    if (!tables.includes(ORY_MARKER_TABLE)) problems.push(`it has no ${ORY_MARKER_TABLE} table: not a migrated ${access.service} database`);
    const missing = backedUp.filter((t) => !tables.includes(t));
    const extra = tables.filter((t) => !backedUp.includes(t));
    // As of an earlier time, a table the backup's end lists may not have existed yet.
    if (missing.length > 0 && this.settings.asOf === undefined) problems.push(`tables of the backup missing: ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`tables the backup does not list: ${extra.join(', ')}`);
    if (problems.length > 0) throw new Error(`the restored ${database} is not what the bootstrap gives a new cluster: ${problems.join('; ')}`);
    this.deps.log(`  ... ${database}: checked (${tables.length} tables, ${objects.length} objects, all owned by ${access.owner}; ${access.reader} reads every table)`);
  }

  /** Renames database by database; when one fails, puts back the ones already swapped, so the live databases stay as they were. */
  private async swap(targets: ReadonlyArray<{ db: string; live: boolean }>): Promise<void> {
    const swapped: Array<{ db: string; live: boolean }> = [];
    for (const t of targets) {
      this.deps.log(`  ... swap ${t.db}: ${swapSql(t.db, t.live).join('; ')}`);
      const result = await runSqlStatements(this.deps.nodes, this.node.instanceId, swapSql(t.db, t.live));
      if (result.ok) {
        swapped.push(t);
        continue;
      }
      const names = await this.databaseNames();
      // The first rename may have gone through alone.
      if (t.live && !names.includes(t.db) && names.includes(`${t.db}${PREVIOUS_SUFFIX}`)) await runSqlStatements(this.deps.nodes, this.node.instanceId, [`ALTER DATABASE ${t.db}${PREVIOUS_SUFFIX} RENAME TO ${t.db}`]);
      const undone: string[] = [];
      for (const s of [...swapped].reverse()) {
        const back = await runSqlStatements(this.deps.nodes, this.node.instanceId, unswapSql(s.db, s.live));
        undone.push(back.ok ? `${s.db} put back` : `${s.db} NOT put back (${back.stderr.trim()}): run ${unswapSql(s.db, s.live).join('; ')} by hand`);
      }
      throw new OperationStopped(
        `swapping ${t.db} failed (${result.status}): ${(result.stderr || result.stdout).trim()}. ${undone.length > 0 ? `Undone: ${undone.join('; ')}. ` : ''}The restored copies stay as <db>${STAGING_SUFFIX}; check the databases (SHOW DATABASES) before anything else.`,
      );
    }
  }

  private async refuseOpenSessions(when: string): Promise<void> {
    const users = this.accesses.map((a) => a.owner);
    const result = await this.sql([userSessionsSql(users)]);
    const open = csvRows(result.results[0] ?? '').filter((row) => Number(row[1]) > 0);
    if (open.length > 0) {
      throw new OperationStopped(
        `Ory still has sessions open (${open.map(([user, count]) => `${user}: ${count}`).join(', ')}) ${when}: renaming a database under a running service would send its next queries to the other copy. ` +
          'Stop Ory first (kubectl -n ory scale deployment hydra kratos keto --replicas=0, and the migration jobs), wait until the sessions close, then run the restore again.',
      );
    }
  }

  private async discard(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const result = await runSqlStatements(this.deps.nodes, this.node.instanceId, names.map((name) => `DROP DATABASE IF EXISTS ${name} CASCADE`));
    if (!result.ok) this.deps.log(`  could not drop ${names.join(', ')} (${result.stderr.trim()}): the next restore drops them`);
  }

  private async chains(collection: string): Promise<BackupChain[]> {
    const result = await this.deps.nodes.run(this.node.instanceId, ['backups', collection], 900);
    if (!result.ok) throw new OperationStopped(`cannot read the backups in ${collection.split('?')[0]}: ${(result.stderr || result.stdout).trim()}`);
    return parseBackupChains(result.stdout);
  }

  private async databaseNames(): Promise<string[]> {
    return csvRows((await this.sql(['SELECT database_name FROM [SHOW DATABASES]'])).results[0] ?? '').map((row) => row[0] ?? '');
  }

  private async clusterId(): Promise<string> {
    const id = csvRows((await this.sql(['SELECT crdb_internal.cluster_id() AS cluster_id'])).results[0] ?? '')[0]?.[0];
    if (!id) throw new OperationStopped('cannot read the cluster id');
    return id;
  }

  private request(bucket: string, fromClusterId: string) {
    return { databases: this.settings.databases, mode: this.settings.mode, bucketName: bucket, region: this.settings.fromBucketRegion ?? this.deps.region, fromClusterId, asOf: this.settings.asOf };
  }

  private restoreSql(database: string, target: string, collection: string, chainPath: string): string {
    return restoreDatabaseSql(database, target, collection, chainPath, this.settings.asOf, { skipLocalitiesCheck: this.settings.skipLocalitiesCheck });
  }

  private async sql(statements: readonly string[], options: { database?: string; timeoutSeconds?: number } = {}) {
    const result = await runSqlStatements(this.deps.nodes, this.node.instanceId, statements, options);
    const failed = statements[Math.max(0, result.results.length - 1)];
    if (!result.ok) throw new OperationStopped(`\`${failed}\`${options.database ? ` in ${options.database}` : ''} failed (${result.status}): ${(result.stderr || result.stdout).trim()}`);
    return result;
  }
}

/** The SQL users of one Ory database, from the stack's outputs (`<service>_sql_user`, `verifier_sql_user`). */
function accessOf(outputs: Record<string, unknown>, service: string): DatabaseAccess {
  const owner = outputs[`${service}_sql_user`];
  const reader = outputs['verifier_sql_user'];
  if (typeof owner !== 'string' || owner === '' || typeof reader !== 'string' || reader === '') {
    throw new OperationStopped(`the stack has no ${service}_sql_user or verifier_sql_user output: apply the stack first (cdktf deploy cockroach)`);
  }
  return { service: service as OryDatabase, owner, reader };
}

async function firstReadyNode(deps: RestoreDependencies): Promise<ReadyNode> {
  for (const [i, instanceId] of deps.instanceIds.entries()) {
    const status = await deps.nodes.run(instanceId, ['status'], 120);
    if (status.ok && parseStatusReport(status.stdout).readyCode === '200') return { node: i + 1, instanceId };
  }
  throw new OperationStopped('no node is ready (/health?ready=1): the cluster must be up to restore into it');
}


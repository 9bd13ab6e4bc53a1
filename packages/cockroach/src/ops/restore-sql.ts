// The cdktf-free subpath: the operations CLI does not load core's constructs.
import { isAwsRegionName } from '@crdb-ory/core/partition';
import { backupCollectionUri } from '../backup/backup-schedule';
import { ORY_DATABASES } from '../sql-users';

export type RestoreMode = 'side-by-side' | 'replace';

export interface RestoreRequest {
  /** Ory databases to restore (hydra, kratos, keto). */
  readonly databases: readonly string[];
  /**
   * `side-by-side` (default): each database is restored next to the live one as `<db>_restored`,
   * for inspection or a hand-picked repair; nothing live changes. `replace`: each database is
   * restored as `<db>_restoring`, checked, then swapped in by renaming; the live one is kept as
   * `<db>_before_restore` until `--drop-previous` (stop Ory first). Also how a new cluster takes
   * over the data of an old one (its bootstrap created the databases empty).
   */
  readonly mode: RestoreMode;
  readonly bucketName: string;
  readonly region: string;
  /** The cluster whose collection to restore from (`crdb_internal.cluster_id()` of the backed-up cluster). */
  readonly fromClusterId: string;
  /** Restore the state at this time (needs revision_history and a time inside the backups), else the latest backup. */
  readonly asOf?: string;
}

/**
 * `skip_localities_check`: RESTORE refuses a backup whose multi-region databases have a region in
 * which the cluster has no live node ("detected a mismatch in regions between the restore cluster
 * and the backup cluster, missing regions detected: ..."; its hint names this option), as after
 * the loss of a region: "Use to skip checking localities of a cluster before a restore when there
 * are mismatched cluster regions between the backup's cluster and the target cluster" (RESTORE docs,
 * Options; cockroachdb/cockroach `pkg/ccl/backupccl/testdata/backup-restore/multiregion`, PR 64758).
 * The restored database keeps the backup's regions (PR 101893 made RESTORE with the option succeed
 * when regions are missing), so the region convergence drops the lost one afterwards.
 */
export interface RestoreSqlOptions {
  readonly skipLocalitiesCheck?: boolean;
}

/** What CockroachDB says when the backup's regions are not all live in the cluster (restore_planning.go, multiregion test data). */
export const LOCALITIES_MISMATCH = 'detected a mismatch in regions between the restore cluster and the backup cluster';

/** Side by side: the restored copy, next to the live database. */
export const RESTORED_SUFFIX = '_restored';
/** Replace: where a database is restored and checked before it takes the live name (reserved for the restore; a leftover is dropped). */
export const STAGING_SUFFIX = '_restoring';
/** Replace: the live database, renamed, kept until the operator confirms (`--drop-previous`). */
export const PREVIOUS_SUFFIX = '_before_restore';

const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)$/;
/** S3 bucket names (what goes between quotes in the collection URI). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Throws (naming the option, the value and what is allowed) unless the databases and the time are ones a restore takes. */
export function validateRestoreSelection(databases: readonly string[], asOf: string | undefined): void {
  if (databases.length === 0) throw new Error(`--database: name at least one of ${ORY_DATABASES.join(', ')}`);
  for (const db of databases) {
    if (!(ORY_DATABASES as readonly string[]).includes(db)) throw new Error(`--database "${db}": allowed are ${ORY_DATABASES.join(', ')} (comma-separated)`);
  }
  if (new Set(databases).size !== databases.length) throw new Error('--database: a database is named twice');
  if (asOf !== undefined && !TIMESTAMP.test(asOf)) throw new Error(`--as-of "${asOf}": allowed is a timestamp with its zone, e.g. 2026-03-01 14:30:00+00`);
}

/** Throws (naming the option, the value and what is allowed) unless the request renders into safe SQL. */
export function validateRestoreRequest(r: RestoreRequest): void {
  validateRestoreSelection(r.databases, r.asOf);
  if (!CLUSTER_ID.test(r.fromClusterId)) throw new Error(`--from-cluster "${r.fromClusterId}": allowed is a cluster id (a UUID; list them with --list)`);
  if (!BUCKET.test(r.bucketName)) throw new Error(`backup_bucket_name "${r.bucketName}" is not an S3 bucket name`);
  if (!isAwsRegionName(r.region)) throw new Error(`--bucket-region "${r.region}": allowed is an AWS region, e.g. us-east-2`);
}

/** Throws (naming the option) unless `--from-bucket` and `--bucket-region` are given together and each is what it says. */
export function validateFromBucket(bucket: string | undefined, region: string | undefined): void {
  if ((bucket === undefined) !== (region === undefined)) throw new Error('--from-bucket and --bucket-region go together: the bucket to restore from (e.g. the replica in the secondary region) and its region');
  if (bucket !== undefined && !BUCKET.test(bucket)) throw new Error(`--from-bucket "${bucket}": allowed is an S3 bucket name`);
  if (region !== undefined && !isAwsRegionName(region)) throw new Error(`--bucket-region "${region}": allowed is an AWS region, e.g. us-east-2`);
}

/** The collection of the cluster to restore from. */
export function restoreCollectionUri(r: RestoreRequest): string {
  validateRestoreRequest(r);
  return backupCollectionUri(r.bucketName, r.region, r.fromClusterId);
}

/** Where `database` is restored to: `<db>_restored` side by side, `<db>_restoring` before a swap. */
export function restoreTarget(database: string, mode: RestoreMode): string {
  return `${database}${mode === 'side-by-side' ? RESTORED_SUFFIX : STAGING_SUFFIX}`;
}

/**
 * One database from one chain (`new_db_name` takes one database per RESTORE), at the chain's end
 * or at `asOf`, which must lie in that chain (backup-chains.ts picks it).
 */
export function restoreDatabaseSql(database: string, target: string, collectionUri: string, chainPath: string, asOf?: string, options: RestoreSqlOptions = {}): string {
  const withOptions = [`new_db_name = '${target}'`, ...(options.skipLocalitiesCheck ? ['skip_localities_check'] : [])];
  return `RESTORE DATABASE ${database} FROM '${chainPath}' IN '${collectionUri}'${asOf ? ` AS OF SYSTEM TIME '${asOf}'` : ''} WITH ${withOptions.join(', ')}`;
}

/** The swap: the live database steps aside (kept), the checked copy takes its name. Without a live database, only the second. */
export function swapSql(database: string, liveExists: boolean): string[] {
  return [...(liveExists ? [`ALTER DATABASE ${database} RENAME TO ${database}${PREVIOUS_SUFFIX}`] : []), `ALTER DATABASE ${database}${STAGING_SUFFIX} RENAME TO ${database}`];
}

/** Undoes `swapSql` after a later step failed: the copy goes back to its staging name, the live database to its own. */
export function unswapSql(database: string, liveExisted: boolean): string[] {
  return [`ALTER DATABASE ${database} RENAME TO ${database}${STAGING_SUFFIX}`, ...(liveExisted ? [`ALTER DATABASE ${database}${PREVIOUS_SUFFIX} RENAME TO ${database}`] : [])];
}

/** Open sessions of the given users on every node (crdb_internal.cluster_sessions, supported for production use). CSV: user_name, sessions. */
export function userSessionsSql(users: readonly string[]): string {
  return `SELECT user_name, count(*) AS sessions FROM crdb_internal.cluster_sessions WHERE user_name IN (${users.map((u) => `'${u}'`).join(', ')}) GROUP BY user_name ORDER BY user_name`;
}

/** The tables of `database` in one chain (SHOW BACKUP lists every object of every layer). CSV: object_name. */
export function backupTablesSql(chainPath: string, collectionUri: string, database: string): string {
  return `WITH b AS (SHOW BACKUP FROM '${chainPath}' IN '${collectionUri}') SELECT DISTINCT object_name FROM b WHERE database_name = '${database}' AND object_type = 'table' ORDER BY object_name`;
}

/**
 * Every Ory service's schema has a `networks` table (Hydra, Kratos and Keto v26.2.0:
 * tools/reference-data/ory/postgres-schemas-v26.2.0): a restored database without it is not a
 * migrated Ory database.
 */
export const ORY_MARKER_TABLE = 'networks';

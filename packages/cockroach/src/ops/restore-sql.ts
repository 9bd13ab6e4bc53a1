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
export function restoreDatabaseSql(database: string, target: string, collectionUri: string, chainPath: string, asOf?: string): string {
  return `RESTORE DATABASE ${database} FROM '${chainPath}' IN '${collectionUri}'${asOf ? ` AS OF SYSTEM TIME '${asOf}'` : ''} WITH new_db_name = '${target}'`;
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

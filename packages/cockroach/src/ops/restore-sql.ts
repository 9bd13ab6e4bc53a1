import { backupCollectionUri } from '../backup/backup-schedule';
import { ORY_DATABASES } from '../sql-users';

export type RestoreMode = 'side-by-side' | 'replace';

export interface RestoreRequest {
  /** Ory databases to restore (hydra, kratos, keto). */
  readonly databases: readonly string[];
  /**
   * `side-by-side` (default): each database is restored next to the live one as `<db>_restored`,
   * for inspection or a hand-picked repair; nothing live changes. `replace`: the live databases are
   * dropped and restored from the backup (stop Ory first); also how a new cluster takes over the
   * data of an old one (its bootstrap created the databases empty).
   */
  readonly mode: RestoreMode;
  readonly bucketName: string;
  readonly region: string;
  /** The cluster whose collection to restore from (`crdb_internal.cluster_id()` of the backed-up cluster). */
  readonly fromClusterId: string;
  /** Restore the state at this time (needs revision_history and a time inside the backups), else the latest backup. */
  readonly asOf?: string;
}

export const RESTORED_SUFFIX = '_restored';
const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Throws (naming the option, the value and what is allowed) unless the request renders into safe SQL. */
export function validateRestoreRequest(r: RestoreRequest): void {
  if (r.databases.length === 0) throw new Error(`--database: name at least one of ${ORY_DATABASES.join(', ')}`);
  for (const db of r.databases) {
    if (!(ORY_DATABASES as readonly string[]).includes(db)) throw new Error(`--database "${db}": allowed are ${ORY_DATABASES.join(', ')} (comma-separated)`);
  }
  if (new Set(r.databases).size !== r.databases.length) throw new Error('--database: a database is named twice');
  if (!CLUSTER_ID.test(r.fromClusterId)) throw new Error(`--from-cluster "${r.fromClusterId}": allowed is a cluster id (a UUID; list them with --list)`);
  if (r.asOf !== undefined && !TIMESTAMP.test(r.asOf)) throw new Error(`--as-of "${r.asOf}": allowed is a timestamp with its zone, e.g. 2026-03-01 14:30:00+00`);
}

/** The statements of a restore, in order (`RESTORE ... FROM LATEST IN '<collection>'`). */
export function restoreStatements(r: RestoreRequest): string[] {
  validateRestoreRequest(r);
  const from = `FROM LATEST IN '${backupCollectionUri(r.bucketName, r.region, r.fromClusterId)}'${r.asOf ? ` AS OF SYSTEM TIME '${r.asOf}'` : ''}`;
  if (r.mode === 'side-by-side') {
    // new_db_name renames one database per RESTORE.
    return r.databases.map((db) => `RESTORE DATABASE ${db} ${from} WITH new_db_name = '${db}${RESTORED_SUFFIX}'`);
  }
  return [...r.databases.map((db) => `DROP DATABASE IF EXISTS ${db} CASCADE`), `RESTORE DATABASE ${r.databases.join(', ')} ${from}`];
}

import { DEFAULT_DRAIN_SETTINGS, DrainSettings, drainSettingsSql } from '../cluster/drain-settings';
import { accessGrantStatements, databaseAccesses } from '../database-access';
import { SqlUserNames } from '../sql-users';

export interface BootstrapSqlOptions {
  /**
   * Let the verifier see the backup schedule and its jobs: `VIEWJOB` (SHOW JOBS, every job
   * including root's scheduled backups) and `VIEWSYSTEMTABLE` (SHOW SCHEDULES reads
   * system.scheduled_jobs; no narrower grant exists for a user that does not own the schedule).
   * @default false
   */
  readonly verifierSeesBackups?: boolean;
  /** The drain timing (`server.shutdown.*`). @default DEFAULT_DRAIN_SETTINGS */
  readonly drain?: DrainSettings;
}

/**
 * The bootstrap SQL, idempotent: each Ory service's database and SQL user (certificate
 * authentication) with the access `database-access.ts` defines (the service user holds ALL on
 * its own database only and owns the tables its migrations create; the verifier may `SELECT`
 * every table the service users create), with backups the verifier's view of the backup
 * schedule and its jobs; and the drain timing (drain-settings.ts) the NLB and Ory's pools need.
 */
export function renderBootstrapSql(users: SqlUserNames, options: BootstrapSqlOptions = {}): string {
  const v = users.verifier;
  const statements = [`CREATE USER IF NOT EXISTS ${v};`];
  for (const access of databaseAccesses(users)) {
    const grants = accessGrantStatements(access);
    statements.push(
      `CREATE DATABASE IF NOT EXISTS ${access.service};`,
      `CREATE USER IF NOT EXISTS ${access.owner};`,
      ...grants.onDatabase.map((s) => `${s};`),
      `USE ${access.service};`,
      ...grants.inDatabase.map((s) => `${s};`),
    );
  }
  if (options.verifierSeesBackups) statements.push(`GRANT SYSTEM VIEWJOB TO ${v};`, `GRANT SYSTEM VIEWSYSTEMTABLE TO ${v};`);
  statements.push(...drainSettingsSql(options.drain ?? DEFAULT_DRAIN_SETTINGS).map((s) => `${s};`));
  return `${statements.join('\n')}\n`;
}

import type pg from 'pg';
import type { DbTarget } from './config';
import { describeTarget, type Row } from './database';
import { classifyError, VerifyError, type FailureKind } from './errors';

/** A check whose SQL only CockroachDB answers (SHOW SCHEDULES, SHOW JOBS, SHOW DATABASES' region columns). */
export interface CockroachOnlyCheck {
  /** The failure kind of "this is not CockroachDB". */
  readonly kind: FailureKind;
  /** Names the check in messages: `the backup check`. */
  readonly name: string;
  /** What to do when the server is not CockroachDB. */
  readonly notCockroachCause: string;
  /** What to grant `user` when CockroachDB refuses the statement for want of a privilege. */
  readonly privilegeCause: (user: string) => string;
}

/** SQLSTATEs of a server that is not CockroachDB (PostgreSQL has no such statement) and of a missing privilege. */
const SYNTAX_ERROR = '42601';
const INSUFFICIENT_PRIVILEGE = '42501';

/** Runs a CockroachDB-only statement: PostgreSQL's syntax error says "not CockroachDB", a refusal names the grant. */
export async function cockroachOnlyQuery(client: pg.Client, db: DbTarget, check: CockroachOnlyCheck, timeoutMs: number, sql: string, params: unknown[] = []): Promise<Row[]> {
  try {
    return (await client.query(sql, params)).rows as Row[];
  } catch (error) {
    const code = (error as { code?: string }).code;
    const where = describeTarget(db);
    if (code === SYNTAX_ERROR) {
      throw new VerifyError(check.kind, `${where} does not understand ${check.name}'s SQL (${(error as Error).message}): it is not CockroachDB`, check.notCockroachCause);
    }
    if (code === INSUFFICIENT_PRIVILEGE) throw new VerifyError('privileges', `${where}: ${(error as Error).message}`, check.privilegeCause(db.user));
    throw classifyError(error, where, timeoutMs);
  }
}

import type pg from 'pg';
import type { ServiceTarget } from './config';
import { describeTarget } from './database';

/** What every service flow needs. */
export interface FlowContext {
  readonly target: ServiceTarget;
  readonly db: pg.Client;
  readonly timeoutMs: number;
  /** Unique per run and iteration: names what the flow creates. */
  readonly runId: string;
  readonly ketoNamespace: string;
  /** Names the verifier's Keto tuple (stable across runs, so Keto's UUID mappings are reused). */
  readonly ketoVerifierId: string;
  /** Id of the Kratos identity schema the test identity's traits are built from. */
  readonly kratosIdentitySchemaId: string;
  /**
   * Where the flow reads back what it wrote (Hydra's introspection, Kratos's login and whoami,
   * Keto's checks and expand): another region's endpoints in a cross-region flow.
   * @default target.urls
   */
  readonly readUrls?: Readonly<Record<string, string>>;
}

/** The endpoints the flow reads back through: another region's in a cross-region flow, else the target's. */
export function readUrlsOf(ctx: FlowContext): Readonly<Record<string, string>> {
  return ctx.readUrls ?? ctx.target.urls;
}

/** A missing row although the API succeeded: the service writes somewhere else. */
export function rowsMissingCause(service: string, target: ServiceTarget): string {
  return `the API succeeded but the row is not in ${describeTarget(target.db)}: ${service} writes to another database or cluster than the one checked (compare its DSN with --${target.service}-db-name / --db-host)`;
}


import type { PropProblem } from '@crdb-ory/core';

/**
 * How long a node's drain takes, phase by phase (CockroachDB "Node shutdown", v25.4): the
 * unready phase (`server.shutdown.initial_wait`: /health?ready=1 answers 503 while the node still
 * accepts connections, so the load balancer stops sending new ones), the connection phase
 * (`server.shutdown.connections.timeout`: clients close their connections, at most this long),
 * the SQL and DistSQL drain phases (`server.shutdown.transactions.timeout` each) and the lease
 * transfers (`server.shutdown.lease_transfer_iteration.timeout` per iteration).
 *
 * The page says to set the connections timeout above the maximum lifetime of the client pool's
 * connections, else the drain cuts them; `cockroach node drain --drain-wait` must be greater than
 * initial_wait + connections.timeout + 2 x transactions.timeout + lease_transfer_iteration.timeout,
 * and the process manager's termination grace period (systemd `TimeoutStopSec`) must cover the
 * drain, or a stop kills the node mid-drain.
 */
export interface DrainSettings {
  /**
   * `server.shutdown.initial_wait`: longer than the load balancer takes to mark a draining node
   * unhealthy (2 failed checks 10 s apart), so no new connection is refused.
   * @default 30
   */
  readonly initialWaitSeconds: number;
  /**
   * `server.shutdown.connections.timeout`: how long clients may keep their connections open
   * during a drain; must be above the client pool's maximum connection lifetime (Ory's
   * `max_conn_lifetime`, 300 s by default), so every pooled connection is recycled before it.
   * @default 330
   */
  readonly connectionsTimeoutSeconds: number;
  /** `server.shutdown.transactions.timeout`. @default 10 (CockroachDB's own default, set explicitly) */
  readonly transactionsTimeoutSeconds: number;
}

export const DEFAULT_DRAIN_SETTINGS: DrainSettings = { initialWaitSeconds: 30, connectionsTimeoutSeconds: 330, transactionsTimeoutSeconds: 10 };

/** `server.shutdown.lease_transfer_iteration.timeout`, CockroachDB's default (not set: the page says not to lower it). */
export const LEASE_TRANSFER_ITERATION_SECONDS = 5;

/** Margin over the drain budget of the roll's `--drain-wait` and of `TimeoutStopSec`. */
export const DRAIN_MARGIN_SECONDS = 60;

/** The load balancer marks a target unhealthy after this many failed checks this many seconds apart (sql-load-balancer.ts). */
export const LOAD_BALANCER_UNHEALTHY_AFTER_SECONDS = 2 * 10;

/** What `--drain-wait` must exceed: initial_wait + connections.timeout + 2 x transactions.timeout + lease_transfer_iteration.timeout. */
export function drainBudgetSeconds(s: DrainSettings & { readonly leaseTransferIterationSeconds?: number }): number {
  return s.initialWaitSeconds + s.connectionsTimeoutSeconds + 2 * s.transactionsTimeoutSeconds + (s.leaseTransferIterationSeconds ?? LEASE_TRANSFER_ITERATION_SECONDS);
}

/** systemd `TimeoutStopSec` of cockroach.service: a stop (SIGTERM drains too) never kills a node mid-drain. */
export function stopTimeoutSeconds(s: DrainSettings): number {
  return drainBudgetSeconds(s) + DRAIN_MARGIN_SECONDS;
}

/**
 * How long the load balancer keeps the established connections of a target that turned
 * unhealthy (it resets them at once by default): from the node turning unready to the end of the
 * connection phase.
 */
export function unhealthyDrainingIntervalSeconds(s: DrainSettings): number {
  return s.initialWaitSeconds + s.connectionsTimeoutSeconds;
}

/** The bootstrap's statements (idempotent). */
export function drainSettingsSql(s: DrainSettings): string[] {
  return [
    `SET CLUSTER SETTING server.shutdown.initial_wait = '${s.initialWaitSeconds}s'`,
    `SET CLUSTER SETTING server.shutdown.connections.timeout = '${s.connectionsTimeoutSeconds}s'`,
    `SET CLUSTER SETTING server.shutdown.transactions.timeout = '${s.transactionsTimeoutSeconds}s'`,
  ];
}

/** The drain props, as `CockroachStack` names them (`drain.<setting>`), and the client pool's lifetime as {@link drainProblems} names it. */
export const DRAIN_PROPS = {
  initialWaitSeconds: 'drain.initialWaitSeconds',
  connectionsTimeoutSeconds: 'drain.connectionsTimeoutSeconds',
  transactionsTimeoutSeconds: 'drain.transactionsTimeoutSeconds',
  clientMaxConnLifetimeSeconds: 'clientMaxConnLifetimeSeconds',
} as const;

/**
 * The drain settings on their own and, given the clients' pool, against it: a pooled connection
 * must be recycled before the drain's connection phase ends. Each problem is under its prop
 * ({@link DRAIN_PROPS}); the app maps each to its configuration path.
 */
export function drainProblems(s: DrainSettings, client?: { readonly maxConnLifetimeSeconds: number }): PropProblem[] {
  const problems: PropProblem[] = [];
  const whole = (value: number, min: number) => Number.isInteger(value) && value >= min;
  if (!whole(s.initialWaitSeconds, LOAD_BALANCER_UNHEALTHY_AFTER_SECONDS + 1)) {
    problems.push({ prop: DRAIN_PROPS.initialWaitSeconds, value: s.initialWaitSeconds, message: `must be whole seconds above ${LOAD_BALANCER_UNHEALTHY_AFTER_SECONDS} (the load balancer marks a draining node unhealthy after 2 failed checks 10 s apart; until then it still sends new connections)` });
  }
  if (!whole(s.connectionsTimeoutSeconds, 1)) problems.push({ prop: DRAIN_PROPS.connectionsTimeoutSeconds, value: s.connectionsTimeoutSeconds, message: 'must be whole seconds, at least 1' });
  if (!whole(s.transactionsTimeoutSeconds, 1)) problems.push({ prop: DRAIN_PROPS.transactionsTimeoutSeconds, value: s.transactionsTimeoutSeconds, message: 'must be whole seconds, at least 1' });
  if (client && whole(s.connectionsTimeoutSeconds, 1) && client.maxConnLifetimeSeconds >= s.connectionsTimeoutSeconds) {
    problems.push({
      prop: DRAIN_PROPS.clientMaxConnLifetimeSeconds,
      value: client.maxConnLifetimeSeconds,
      message: `must be below ${DRAIN_PROPS.connectionsTimeoutSeconds}, the drain's connection phase (server.shutdown.connections.timeout, ${s.connectionsTimeoutSeconds} s): a pooled connection living longer is cut by every drain (CockroachDB "Node shutdown": set the connections timeout above the pool's maximum connection lifetime)`,
    });
  }
  return problems;
}

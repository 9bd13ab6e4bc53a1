import { Fn, Token } from 'cdktf';

/** Where the client certificate files are mounted in every Ory container (deployment and migration job). */
export const CERTS_MOUNT_PATH = '/etc/cockroach-certs';

/** The NLB in front of CockroachDB drops idle connections after 350 s; pooled connections must be recycled before. */
export const NLB_IDLE_TIMEOUT_SECONDS = 350;

/**
 * Ory's `max_conn_lifetime`: below the NLB idle timeout, and below the CockroachDB drain's
 * connection phase (the cockroach stack's `drain.connectionsTimeoutSeconds`, 330 s by default),
 * so neither cuts a pooled connection.
 */
export const DEFAULT_SQL_MAX_CONN_LIFETIME_SECONDS = 300;

/** Ory's `max_conns`, per pod. */
export const DEFAULT_SQL_MAX_CONNS = 10;

/**
 * The pool settings the product accepts: 1-100 connections per pod; a lifetime of at least 10 s
 * (shorter recycles a connection for nearly every query) and below the NLB idle timeout.
 */
export const ORY_SQL_POOL_LIMITS = {
  maxConns: { min: 1, max: 100 },
  maxConnLifetimeSeconds: { min: 10, max: NLB_IDLE_TIMEOUT_SECONDS - 1 },
} as const;

export interface CockroachDsnParts {
  /** SQL user; also the CN of the client certificate. */
  readonly user: string;
  /** DNS name of the SQL load balancer (carried by every node certificate). */
  readonly host: string;
  readonly port: number | string;
  readonly database: string;
  /** Connections per pod. */
  readonly maxConns: number;
  /** Seconds a pooled connection lives; below the NLB idle timeout. */
  readonly maxConnLifetimeSeconds: number;
}

/**
 * Keys of the certificate material in each service's Kubernetes Secret, which are also the file
 * names in the mount. Fixed names (not `client.<user>.crt`) keep the DSN free of apply-time values.
 */
export const CERT_FILES = { ca: 'ca.crt', cert: 'client.crt', key: 'client.key' } as const;

/**
 * The DSN Ory uses for CockroachDB: the `cockroach://` scheme (`postgres://` would run the
 * PostgreSQL migrations and produce broken schemas), full certificate verification, and pool
 * settings that recycle connections before the load balancer drops them. Every part is
 * percent-encoded; Terraform tokens pass through unchanged and are resolved at apply time.
 */
export function cockroachDsn(parts: CockroachDsnParts): string {
  if (parts.maxConnLifetimeSeconds >= NLB_IDLE_TIMEOUT_SECONDS) {
    throw new Error(
      `maxConnLifetimeSeconds ${parts.maxConnLifetimeSeconds} must be below the load balancer idle timeout (${NLB_IDLE_TIMEOUT_SECONDS} s).`,
    );
  }
  if (!Number.isInteger(parts.maxConns) || parts.maxConns < 1) throw new Error(`maxConns ${parts.maxConns} must be a positive integer.`);
  const query = [
    ['sslmode', 'verify-full'],
    ['sslrootcert', `${CERTS_MOUNT_PATH}/${CERT_FILES.ca}`],
    ['sslcert', `${CERTS_MOUNT_PATH}/${CERT_FILES.cert}`],
    ['sslkey', `${CERTS_MOUNT_PATH}/${CERT_FILES.key}`],
    ['max_conns', String(parts.maxConns)],
    ['max_conn_lifetime', `${parts.maxConnLifetimeSeconds}s`],
  ]
    .map(([key, value]) => `${key}=${encodeQueryValue(value)}`)
    .join('&');
  return `cockroach://${encodePart(parts.user)}@${parts.host}:${parts.port}/${encodePart(parts.database)}?${query}`;
}

/** Percent-encodes a literal now, or a Terraform reference at apply time with `urlencode()`. */
function encodePart(value: string): string {
  return Token.isUnresolved(value) ? Fn.urlencode(value) : encodeURIComponent(value);
}

/** Query values: like `encodePart`, keeping `/` readable (legal in a query value). */
function encodeQueryValue(value: string): string {
  return Token.isUnresolved(value) ? Fn.urlencode(value) : encodeURIComponent(value).replace(/%2F/g, '/');
}

/** What went wrong, as an operator would look for it. */
export type FailureKind =
  | 'config'
  | 'unreachable'
  | 'tls'
  | 'auth'
  | 'privileges'
  | 'tables-missing'
  | 'api'
  | 'rows-missing'
  | 'mismatch'
  | 'expiring'
  | 'backups'
  | 'regions';

/** A failure with the likely cause spelled out. */
export class VerifyError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly likelyCause: string,
  ) {
    super(message);
    this.name = 'VerifyError';
  }
}

/** Bad usage or configuration: exit code 2, before anything is contacted. */
export class ConfigError extends VerifyError {
  constructor(message: string) {
    super('config', message, 'fix the setting named above');
    this.name = 'ConfigError';
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
const UNKNOWN_CA_CODES = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);

interface ErrorLike {
  code?: string;
  name?: string;
  message?: string;
  cause?: unknown;
}

/** The innermost error with a code (fetch wraps socket errors in `cause`). */
function rootCause(error: unknown): ErrorLike {
  let current = error as ErrorLike;
  while (current && typeof current === 'object' && !current.code && current.cause && typeof current.cause === 'object') {
    current = current.cause as ErrorLike;
  }
  return current ?? {};
}

function describe(error: ErrorLike): string {
  return [error.code, error.message].filter(Boolean).join(': ') || String(error);
}

/** What was being reached: the SQL endpoint (verify-full with the cluster CA) or an Ory HTTPS API. */
export type Endpoint = 'database' | 'api';

/** TLS causes differ by endpoint: the cluster CA is only the database's. */
const TLS_CAUSES: Record<Endpoint, { unknownCa: string; hostMismatch: string; expired: string; other: string }> = {
  database: {
    expired: 'the server\'s node certificate has expired: apply cockroach-pki (it re-issues certificates within earlyRenewalHours) and let every node reload its certificates (SIGHUP); see docs/cockroach.md, Certificates',
    unknownCa: 'unknown CA: --db-sslrootcert / ca.crt is not the CA that issued the server certificate',
    hostMismatch: 'host name mismatch: connect with a name the server certificate carries (verify-full checks it), e.g. the load balancer DNS name',
    other: 'TLS failure: the server refused the client certificate or TLS is not enabled on the server',
  },
  api: {
    expired: "the API endpoint's certificate has expired: ACM renews DNS-validated certificates by itself only while their validation CNAME records exist; check the certificate in ACM",
    unknownCa: "the API endpoint's certificate is not trusted by this machine: use the public URL (its ACM certificate chains to a public CA), or add a private CA with NODE_EXTRA_CA_CERTS; the database's ca.crt plays no part here",
    hostMismatch: "host name mismatch: the URL's host is not in the API endpoint's certificate; use the host name it was issued for (e.g. hydra.<domain>), not the load balancer's own name or an IP",
    other: 'TLS failure talking to the API: https:// on a plain-HTTP port (port-forwards and cluster-internal URLs are http://), or a proxy in between',
  },
};

/**
 * Turns a socket, TLS, timeout or PostgreSQL error reaching `target` (the database or an API
 * endpoint) into a VerifyError with the likely cause. Errors already classified pass through.
 */
export function classifyError(error: unknown, target: string, timeoutMs: number, endpoint: Endpoint = 'database'): VerifyError {
  if (error instanceof VerifyError) return error;
  const root = rootCause(error);
  const code = root.code ?? '';
  const message = root.message ?? String(error);
  if (root.name === 'TimeoutError' || /timeout|timed out/i.test(message)) {
    return new VerifyError('unreachable', `${target}: no answer within ${timeoutMs} ms (${describe(root)})`, 'endpoint unreachable: wrong host/port, a security group or network policy dropping packets, or the service is down; raise --timeout-ms if it is just slow');
  }
  if (UNREACHABLE_CODES.has(code)) {
    return new VerifyError('unreachable', `${target}: ${describe(root)}`, 'endpoint unreachable: wrong host or port, DNS name not resolvable from here, or the service is not running');
  }
  if (UNKNOWN_CA_CODES.has(code)) {
    const signer = endpoint === 'database' ? 'the configured CA' : 'a CA this machine trusts';
    return new VerifyError('tls', `${target}: TLS failure, the server certificate is not signed by ${signer} (${describe(root)})`, TLS_CAUSES[endpoint].unknownCa);
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new VerifyError('tls', `${target}: TLS failure, the server certificate has expired (${describe(root)})`, TLS_CAUSES[endpoint].expired);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new VerifyError('tls', `${target}: TLS failure, host name mismatch (${describe(root)})`, TLS_CAUSES[endpoint].hostMismatch);
  }
  if (code === '28000' || code === '28P01') {
    return new VerifyError('auth', `${target}: authentication refused (${describe(root)})`, 'authentication refused: the SQL user does not exist, or the client certificate CN does not match the user, or it is not signed by the cluster CA');
  }
  if (code === '42P01') {
    return new VerifyError('tables-missing', `${target}: ${describe(root)}`, 'tables missing: migrations have not run against this database');
  }
  if (code === '42501') {
    return new VerifyError('privileges', `${target}: ${describe(root)}`, 'missing privilege: grant the SQL user what the check reads');
  }
  if (/ssl|tls|certificate|alert/i.test(message) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.startsWith('ERR_OSSL')) {
    return new VerifyError('tls', `${target}: TLS failure (${describe(root)})`, TLS_CAUSES[endpoint].other);
  }
  return new VerifyError('unreachable', `${target}: ${describe(root)}`, 'unexpected connection error; see the message');
}

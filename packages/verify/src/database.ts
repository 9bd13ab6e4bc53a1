import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { checkServerIdentity, TLSSocket } from 'node:tls';
import pg from 'pg';
import type { DbTarget } from './config';
import { classifyError, VerifyError } from './errors';

/** `user@host:port/database`, for messages. */
export function describeTarget(db: DbTarget): string {
  return `${db.user}@${db.host}:${db.port}/${db.database}`;
}

async function readTlsFile(path: string, what: string, db: DbTarget): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new VerifyError('tls', `${describeTarget(db)}: cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, `missing or unreadable ${what}: check the path and that this user may read it`);
  }
}

/** Parses the PEM material up front, so a wrong file is named as such rather than as a TLS handshake error. */
function checkClientMaterial(cert: Buffer, key: Buffer, db: DbTarget): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new VerifyError('tls', `${describeTarget(db)}: ${db.sslcert} is not a PEM certificate (sslcert)`, 'unreadable client certificate: the file holds something else');
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new VerifyError('tls', `${describeTarget(db)}: ${db.sslkey} is not an unencrypted PEM private key (sslkey)`, 'unreadable client key: the file holds something else, or the key is encrypted');
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new VerifyError('tls', `${describeTarget(db)}: the client key ${db.sslkey} does not belong to the certificate ${db.sslcert}`, 'certificate and key of different users mixed up');
  }
  const expires = new Date(certificate.validTo);
  if (expires.getTime() <= Date.now()) {
    throw new VerifyError('tls', `${describeTarget(db)}: the client certificate ${db.sslcert} expired on ${expires.toISOString()}`, 'renew it: apply cockroach-pki (it re-issues certificates within earlyRenewalHours), then fetch the client secret into the certs dir again (docs/verify.md, Get the inputs)');
  }
}

/** The TLS socket of an open connection (pg replaces its socket with a TLSSocket after SSLRequest). */
export function tlsSocketOf(client: pg.Client): TLSSocket {
  const stream = (client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  if (!(stream instanceof TLSSocket)) throw new VerifyError('tls', 'the database connection is not TLS', 'the connection must be TLS (sslmode=verify-full): this pg version exposes no TLS socket');
  return stream;
}

/**
 * Opens a connection with the semantics of `sslmode=verify-full`: the server certificate must
 * chain to `sslrootcert` and carry `host`; the client authenticates with its certificate.
 */
export async function connectDatabase(db: DbTarget, timeoutMs: number): Promise<pg.Client> {
  const [ca, cert, key] = await Promise.all([
    readTlsFile(db.sslrootcert, 'CA certificate (sslrootcert)', db),
    readTlsFile(db.sslcert, 'client certificate (sslcert)', db),
    readTlsFile(db.sslkey, 'client key (sslkey)', db),
  ]);
  checkClientMaterial(cert, key, db);
  const client = new pg.Client({
    host: db.host,
    port: db.port,
    database: db.database,
    user: db.user,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    ssl: {
      ca,
      cert,
      key,
      rejectUnauthorized: true,
      ...(isIP(db.host) ? {} : { servername: db.host }),
      checkServerIdentity: (_name, peer) => checkServerIdentity(db.host, peer),
    },
  });
  client.on('error', () => undefined); // a dropped idle connection surfaces on the next query instead
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw classifyError(error, describeTarget(db), timeoutMs);
  }
  return client;
}

export type Row = Record<string, unknown>;

/** Runs one query; errors come back classified (tables missing, privileges, timeouts). */
export async function query(client: pg.Client, db: DbTarget, timeoutMs: number, sql: string, params: unknown[] = []): Promise<Row[]> {
  try {
    return (await client.query(sql, params)).rows as Row[];
  } catch (error) {
    throw classifyError(error, describeTarget(db), timeoutMs);
  }
}

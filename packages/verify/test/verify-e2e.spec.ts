import { createServer, type Server } from 'node:net';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultIdentitySchema } from '@crdb-ory/ory';
import { startFakeOry, urlSettings, type FakeOry } from './support/fake-ory-server';
import { countRows as countRowsIn, elsewhereDatabase, EMPTY_DATABASE, startPgHarness, UNKNOWN_USER, type PgHarness } from './support/pg-harness';
import { KETO_TUPLE_SQL } from '../src/keto-check';
import { ketoUuid } from '../src/keto-uuid';
import { runCli, runCliProcess, toFlags } from './support/run-cli';
import { createTestCa, issueCertificate } from './support/test-pki';
import { startTlsProxy } from './support/tls-proxy';

let pgServer: PgHarness;
let ory: FakeOry;

beforeAll(async () => {
  pgServer = await startPgHarness();
  ory = await startFakeOry({ connect: (db) => pgServer.superuserClient(db) });
}, 120_000);

afterAll(async () => {
  await ory?.stop();
  await pgServer?.stop();
}, 60_000);

// Every request the verifier sent and every response the double gave conform to Ory's v26.2.0 OpenAPI specs.
afterEach(() => {
  expect(ory.violations()).toEqual([]);
});

/** The services against the test double and the real PostgreSQL; the backup check (CockroachDB only) is selected where a test says so. */
function settings(fake: FakeOry = ory, overrides: Record<string, string | number | boolean | undefined> = {}) {
  return {
    services: 'hydra,kratos,keto',
    dbHost: pgServer.host,
    dbPort: pgServer.port,
    dbUser: 'verifier',
    certsDir: pgServer.certsDir,
    ...urlSettings(fake),
    timeoutMs: 5000,
    ...overrides,
  };
}

const countRows = (database: string, sql: string): Promise<number> => countRowsIn(pgServer, database, sql);

/** What the verifier leaves behind; Keto's UUID mappings stay by design (Keto never deletes them), two per verifier id. */
async function verifierArtifacts(): Promise<{ clients: number; identities: number; tuples: number; mappings: number }> {
  return {
    clients: await countRows('hydra', "SELECT count(*) AS n FROM hydra_client WHERE client_name LIKE 'crdb-ory-verify %'"),
    identities: await countRows('kratos', "SELECT count(*) AS n FROM identities WHERE traits->>'email' LIKE 'crdb-ory-verify+%'"),
    tuples: await countRows('keto', 'SELECT count(*) AS n FROM keto_relation_tuples'),
    mappings: await countRows('keto', 'SELECT count(*) AS n FROM keto_uuid_mappings'),
  };
}

const CLEAN = { clients: 0, identities: 0, tuples: 0, mappings: 2 };

async function withClosedPort(fn: (port: number) => Promise<void>): Promise<void> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  await fn(port);
}

function expectFailure(run: { code: number; stdout: string; stderr: string }, kind: string, ...texts: (string | RegExp)[]) {
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('Verification FAILED.');
  expect(run.stdout).toContain(`[${kind}]`);
  for (const text of texts) {
    expect(run.stdout).toMatch(text);
    expect(run.stderr).toMatch(text);
  }
}

describe('full check against real PostgreSQL (TLS, client certs, Ory schemas) and the Ory test double', () => {
  it('passes every check, prints the records and the summary, and cleans up', async () => {
    const run = await runCli(toFlags(settings()));
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All checks passed.');
    for (const step of ['hydra: sql: hydra_oauth2_access row', 'kratos: sql: identity + password credential', 'keto: sql: relation tuple (by UUIDv5) and its keto_uuid_mappings', 'hydra: preflight: privileges']) {
      expect(run.stdout).toMatch(new RegExp(`${step.replace(/[+()]/g, '\\$&')}\\s+PASS`));
    }
    expect(run.stdout).toContain('-- kratos: sql: identity + password credential');
    expect(run.stdout).toMatch(/credential_type.*identifier.*hashed_password/);
    expect(run.stdout).toContain('$pbkdf2-sha256$i=25000');
    expect(run.stdout).toMatch(/\$2[ab]\$12\$/);
    // The UUIDs are the fixed vectors of units.spec.ts (Python's uuid5 of the network id and the strings).
    expect(run.stdout).toMatch(/^881ef61f-086b-44d1-81ac-d246038cabda \| documents \| 2481e89f-645a-5fde-be98-2cd3e1db6604 \| crdb-ory-verify:document \| viewer\s+\| a4f50608-94da-5867-a71d-a084129bd210 \| crdb-ory-verify:user\s+\|/m);
    expect(await verifierArtifacts()).toEqual(CLEAN);
    const operations = new Set(ory.exchanges().map((e) => `${e.service} ${e.operationId}`));
    expect([...operations].sort()).toEqual([
      'hydra createOAuth2Client', 'hydra deleteOAuth2Client', 'hydra introspectOAuth2Token', 'hydra oauth2TokenExchange',
      'keto checkPermissionOrError', 'keto createRelationship', 'keto deleteRelationships', 'keto expandPermissions',
      'kratos createNativeLoginFlow', 'kratos createNativeRegistrationFlow', 'kratos deleteIdentity', 'kratos getIdentitySchema',
      'kratos toSession', 'kratos updateLoginFlow', 'kratos updateRegistrationFlow',
    ]);
    expect(ory.exchanges().some((e) => e.service === 'keto' && e.status === 403)).toBe(true);
  });

  it('--json reports every step with its timing, and --keep leaves what it created', async () => {
    const run = await runCli(toFlags(settings(ory, { json: true, keep: true, services: 'hydra,keto' })));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(report.exitCode).toBe(0);
    expect(new Set(report.results.map((r: any) => r.service))).toEqual(new Set(['hydra', 'keto']));
    expect(report.results.every((r: any) => r.ok && r.durationMs > 0)).toBe(true);
    expect(report.results.some((r: any) => r.step.startsWith('cleanup'))).toBe(false);
    // The certificates it saw, once each: the server's chain on the connection, its client certificate.
    expect(report.certificates.map((c: any) => [c.service, c.role, c.endpoint, c.subject, c.daysLeft])).toEqual([
      ['hydra', 'server', `sql localhost:${pgServer.port}`, 'CN=localhost', 364],
      ['hydra', 'issuer', `sql localhost:${pgServer.port}`, 'CN=crdb-ory test CA', 3649],
      ['hydra', 'client', join(pgServer.certsDir, 'client.verifier.crt'), 'CN=verifier', 364],
    ]);
    expect(report.certificates[0]).toMatchObject({ issuer: 'CN=crdb-ory test CA', subjectAltNames: 'DNS:localhost', notAfter: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(report.results.filter((r: any) => r.step === 'certificates: days until expiry').map((r: any) => [r.service, r.ok])).toEqual([['hydra', true], ['keto', true]]);
    const left = await verifierArtifacts();
    expect(left.clients).toBe(1);
    expect(left.tuples).toBe(1);
    expect(left.mappings).toBe(2);
    for (const [db, sql] of [['hydra', 'DELETE FROM hydra_client'], ['keto', 'DELETE FROM keto_relation_tuples']] as const) {
      const c = await pgServer.superuserClient(db);
      await c.query(sql);
      await c.end();
    }
  });

  it('--repeat reports p50/p90/p99 per flow and per step', async () => {
    const run = await runCli(toFlags(settings(ory, { repeat: 4, json: true })));
    expect(run.code).toBe(0);
    const { latency, results } = JSON.parse(run.stdout);
    for (const service of ['hydra', 'kratos', 'keto']) {
      expect(latency[service].count).toBe(4);
      expect(latency[service].p50).toBeLessThanOrEqual(latency[service].p90);
      expect(latency[service].p90).toBeLessThanOrEqual(latency[service].p99);
    }
    expect(latency['hydra: api: client_credentials token (public)'].count).toBe(4);
    expect(results.filter((r: any) => r.step === 'preflight: privileges')).toHaveLength(3);
    const human = await runCli(toFlags(settings(ory, { repeat: 2, services: 'keto' })));
    expect(human.stdout).toMatch(/Latency per flow and step:[\s\S]*keto\s+2\s/);
    // Six Keto runs so far, still the same two mappings: the verifier's strings are stable.
    expect(await verifierArtifacts()).toEqual(CLEAN);
  });

  it('works with per-service users (each service user owns its tables) and with --services', async () => {
    const run = await runCli(toFlags(settings(ory, { dbUser: undefined, services: 'kratos', kratosDbUser: 'kratos', kratosTableOwner: 'kratos' })));
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sql_user | database | server_version');
    expect(run.stdout).toMatch(/kratos\s+\| kratos/);
    expect(run.stdout).not.toContain('hydra:');
  });

  it('the default run also checks backups, which only CockroachDB answers: against PostgreSQL that check fails (exit 1) saying so, and the services pass', async () => {
    const run = await runCli(toFlags(settings(ory, { services: undefined, json: true })));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Verifying hydra, kratos, keto, backups');
    const report = JSON.parse(run.stdout);
    expect(report.results.filter((r: any) => r.service !== 'backups').every((r: any) => r.ok)).toBe(true);
    expect(report.results.filter((r: any) => r.service === 'backups').map((r: any) => [r.step, r.ok])).toEqual([
      ['preflight: connect (sslmode=verify-full)', true],
      ['certificates: days until expiry', true],
      ['sql: backup schedule crdb_ory_backup (SHOW SCHEDULES FOR BACKUP)', false],
    ]);
    const failed = report.results.find((r: any) => !r.ok);
    expect(failed.error.kind).toBe('backups');
    expect(failed.error.message).toMatch(/^verifier@localhost:\d+\/hydra does not understand the backup check's SQL \(syntax error at or near "SHOW"\): it is not CockroachDB$/);
    expect(failed.error.likelyCause).toContain('runs on CockroachDB only');
    expect(report.backups).toEqual({ label: 'crdb_ory_backup', schedules: [] });
    const human = await runCli(toFlags(settings(ory, { services: 'backups', backupScheduleLabel: 'nightly', backupBucketName: 'b' })));
    expectFailure(human, 'backups', "does not understand the backup check's SQL", 'leave backups out of --services');
    expect(human.stdout).toMatch(/backups: sql: backup schedule nightly \(SHOW SCHEDULES FOR BACKUP\)\s+FAIL/);
  });

  it('reads the database settings from the cockroach stack\'s terraform outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-tf-'));
    const outputs = { sql_host: { value: pgServer.host, type: 'string', sensitive: false }, sql_port: { value: pgServer.port, type: 'number', sensitive: false }, verifier_sql_user: { value: 'verifier', type: 'string', sensitive: false }, hydra_database: { value: 'hydra', type: 'string', sensitive: false }, hydra_sql_user: { value: 'hydra', type: 'string', sensitive: false }, load_balancer_arn: { value: 'arn:x', type: 'string', sensitive: false } };
    writeFileSync(join(dir, 'cockroach.json'), JSON.stringify(outputs));
    const fromFlags = { ...settings(), dbHost: undefined, dbPort: undefined, dbUser: undefined, services: 'hydra' };
    const run = await runCli([...toFlags(fromFlags), '--terraform-outputs', dir]);
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/hydra_client\s+\| hydra\s+\| t/);
  });
});

describe('failures name what failed and the likely cause (exit code 1)', () => {
  it('TLS: the server certificate is not from the configured CA', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'hydra', dbSslrootcert: pgServer.otherCaCertFile })));
    expectFailure(run, 'tls', 'not signed by the configured CA', 'likely cause: unknown CA');
  });

  it('TLS: host name mismatch under verify-full (connecting by IP, certificate says localhost)', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'hydra', dbHost: '127.0.0.1' })));
    expectFailure(run, 'tls', 'host name mismatch', /IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it('TLS: missing client key file', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'keto', dbSslkey: '/nonexistent/client.verifier.key' })));
    expectFailure(run, 'tls', 'cannot read the client key (sslkey) /nonexistent/client.verifier.key (ENOENT)', 'missing or unreadable client key');
  });

  it('TLS: a client key file that is not a key, or belongs to another certificate', async () => {
    const garbage = join(mkdtempSync(join(tmpdir(), 'verify-key-')), 'client.verifier.key');
    writeFileSync(garbage, 'not a key\n');
    const notAKey = await runCli(toFlags(settings(ory, { services: 'hydra', dbSslkey: garbage })));
    expectFailure(notAKey, 'tls', `${garbage} is not an unencrypted PEM private key (sslkey)`, 'unreadable client key');
    const otherKey = join(pgServer.certsDir, 'client.keto.key');
    const mixed = await runCli(toFlags(settings(ory, { services: 'hydra', dbSslkey: otherKey })));
    expectFailure(mixed, 'tls', `the client key ${otherKey} does not belong to the certificate`);
  });

  it('authentication refused: no such SQL user', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'hydra', dbUser: UNKNOWN_USER })));
    expectFailure(run, 'auth', 'authentication refused', /28000/);
  });

  it('authentication refused: the client certificate is for another user', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'kratos', dbUser: undefined, kratosDbUser: 'kratos', kratosDbSslcert: join(pgServer.certsDir, 'client.verifier.crt'), kratosDbSslkey: join(pgServer.certsDir, 'client.verifier.key') })));
    expectFailure(run, 'auth', 'certificate authentication failed for user "kratos"');
  });

  it('database unreachable', async () => {
    await withClosedPort(async (port) => {
      const run = await runCli(toFlags(settings(ory, { services: 'hydra', dbPort: port })));
      expectFailure(run, 'unreachable', 'ECONNREFUSED', 'endpoint unreachable');
    });
  });

  it('API endpoint unreachable', async () => {
    await withClosedPort(async (port) => {
      const run = await runCli(toFlags(settings(ory, { services: 'hydra', hydraAdminUrl: `http://127.0.0.1:${port}` })));
      expectFailure(run, 'unreachable', `POST http://127.0.0.1:${port}/admin/clients: ECONNREFUSED`, 'endpoint unreachable');
    });
  });

  it('API endpoint that never answers: bounded by --timeout-ms', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const run = await runCli(toFlags(settings(ory, { services: 'keto', ketoWriteUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 })));
      expectFailure(run, 'unreachable', 'no answer within 300 ms', 'raise --timeout-ms');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });

  it('database that accepts the connection but never answers: bounded by --timeout-ms', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const run = await runCli(toFlags(settings(ory, { services: 'hydra', dbPort: (silent.address() as { port: number }).port, timeoutMs: 300 })));
      expectFailure(run, 'unreachable', 'no answer within 300 ms', 'endpoint unreachable');
    } finally {
      silent.close();
    }
  });

  it('tables missing: migrations have not run', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'hydra', hydraDbName: EMPTY_DATABASE })));
    expectFailure(run, 'tables-missing', `lacks table(s) hydra_client, hydra_oauth2_access, networks`, "Hydra's migrations have not run");
  });

  it('tables owned by the wrong user', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'keto', ketoTableOwner: 'hydra' })));
    expectFailure(run, 'privileges', 'keto_relation_tuples is owned by keto, expected hydra');
  });

  it("API error: status and Ory's error body (Kratos rejects traits its identity schema does not allow)", async () => {
    const schema = structuredClone(defaultIdentitySchema()) as any;
    schema.properties.traits.properties.name.properties.first.minLength = 200;
    const strict = await startFakeOry({ connect: (db) => pgServer.superuserClient(db), identitySchema: schema });
    try {
      const run = await runCli(toFlags(settings(strict, { services: 'kratos' })));
      expectFailure(run, 'api', /POST http:\/\/127\.0\.0\.1:\d+\/self-service\/registration\?flow=\S+ answered 400 \(expected 200\)/, 'identity traits do not match the identity schema');
      expect(strict.violations()).toEqual([]);
    } finally {
      await strict.stop();
    }
  });

  it('rows missing although the API succeeded (the services write to another database)', async () => {
    const elsewhere = await startFakeOry({
      connect: (db) => pgServer.superuserClient(db),
      databases: { hydra: elsewhereDatabase('hydra'), kratos: elsewhereDatabase('kratos'), keto: elsewhereDatabase('keto') },
    });
    try {
      const run = await runCli(toFlags(settings(elsewhere)));
      expectFailure(run, 'rows-missing', /hydra_client has no row with id = [0-9a-f-]{36}/, /no identity [0-9a-f-]{36} with a password credential/, /keto_relation_tuples has no row for documents:crdb-ory-verify:document#viewer@crdb-ory-verify:user/, 'writes to another database or cluster than the one checked');
      expect(run.stdout).toMatch(/hydra: api: introspect token \(admin\)\s+PASS/);
      expect(run.stdout).toMatch(/cleanup: delete OAuth2 client \(admin\)\s+PASS/);
      expect(elsewhere.violations()).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('days until expiry of every certificate it sees (--cert-expiry-min-days, default 30)', () => {
  /** A certs dir with the cluster CA and a verifier client certificate valid for `days`. */
  function certsDirWithClient(days: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'verify-expiry-'));
    copyFileSync(join(pgServer.certsDir, 'ca.crt'), join(dir, 'ca.crt'));
    issueCertificate(pgServer.ca, dir, 'client.verifier', { commonName: 'verifier', extendedKeyUsage: 'clientAuth', days });
    return dir;
  }

  it('a client certificate that expires soon fails the check (exit 1) and says what renews it; the flow still runs; a lower threshold passes', async () => {
    const certsDir = certsDirWithClient(10);
    const run = await runCli(toFlags(settings(ory, { services: 'hydra', certsDir })));
    expectFailure(run, 'expiring', `CN=verifier (client certificate of ${join(certsDir, 'client.verifier.crt')}) expires in 9 days`, 'fewer than --cert-expiry-min-days 30', 'fetch the renewed client secret');
    expect(run.stdout).toMatch(/hydra: certificates: days until expiry\s+FAIL/);
    expect(run.stdout).toMatch(/hydra: sql: hydra_oauth2_access row\s+PASS/);
    const lower = await runCli(toFlags(settings(ory, { services: 'hydra', certsDir, certExpiryMinDays: 9, json: true })));
    expect(lower.code).toBe(0);
    expect(JSON.parse(lower.stdout).certificates.find((c: any) => c.role === 'client')).toMatchObject({ subject: 'CN=verifier', daysLeft: 9 });
  });

  it('an expired client certificate is named before any connection is tried', async () => {
    const certsDir = certsDirWithClient(-1);
    const run = await runCli(toFlags(settings(ory, { services: 'keto', certsDir })));
    expectFailure(run, 'tls', `the client certificate ${join(certsDir, 'client.verifier.crt')} expired on`, 'apply cockroach-pki');
  });

  it("a database server certificate that expires soon (seen on the connection) fails with the node's renewal and reload as the cause; an expired one fails the connection", async () => {
    try {
      await pgServer.useServerCertificate(10);
      const soon = await runCli(toFlags(settings(ory, { services: 'kratos' })));
      expectFailure(soon, 'expiring', `CN=localhost (server certificate of sql localhost:${pgServer.port}) expires in 9 days`, 'every node reloads its certificates (SIGHUP)');
      expect(soon.stdout).toMatch(/kratos: sql: identity \+ password credential\s+PASS/);
      await pgServer.useServerCertificate(-1);
      const expired = await runCli(toFlags(settings(ory, { services: 'kratos' })));
      expectFailure(expired, 'tls', 'the server certificate has expired (CERT_HAS_EXPIRED', "node certificate has expired: apply cockroach-pki");
    } finally {
      await pgServer.useServerCertificate(365);
    }
  });

  it('HTTPS API endpoints: the chain the API calls see, with its days left in --json; one that expires soon fails (a process, trusting a private CA through NODE_EXTRA_CA_CERTS)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-api-tls-'));
    const apiCa = createTestCa(join(dir, 'ca'), 'load balancer CA');
    const soon = issueCertificate(apiCa, join(dir, 'soon'), 'server', { commonName: 'localhost', extendedKeyUsage: 'serverAuth', subjectAltNames: ['DNS:localhost'], days: 10 });
    const fine = issueCertificate(apiCa, join(dir, 'fine'), 'server', { commonName: 'localhost', extendedKeyUsage: 'serverAuth', subjectAltNames: ['DNS:localhost'], days: 90 });
    const hydraPublic = await startTlsProxy(ory.urls.hydraPublic, soon.certFile, soon.keyFile);
    const kratosPublic = await startTlsProxy(ory.urls.kratosPublic, fine.certFile, fine.keyFile);
    try {
      const run = await runCliProcess(toFlags(settings(ory, { services: 'hydra,kratos', hydraPublicUrl: hydraPublic.url, kratosPublicUrl: kratosPublic.url, json: true })), { NODE_EXTRA_CA_CERTS: apiCa.certFile });
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout);
      const api = report.certificates.filter((c: any) => c.endpoint.startsWith('https://')).map((c: any) => [c.service, c.role, c.endpoint, c.subject, c.daysLeft]);
      expect(api).toEqual([
        ['hydra', 'server', hydraPublic.url, 'CN=localhost', 9],
        ['hydra', 'issuer', hydraPublic.url, 'CN=load balancer CA', 3649],
        ['kratos', 'server', kratosPublic.url, 'CN=localhost', 89],
        ['kratos', 'issuer', kratosPublic.url, 'CN=load balancer CA', 3649],
      ]);
      const steps = report.results.filter((r: any) => r.step === 'certificates: days until expiry');
      expect(steps.map((r: any) => [r.service, r.ok])).toEqual([['hydra', false], ['kratos', true]]);
      expect(steps[0].error).toMatchObject({ kind: 'expiring', message: expect.stringContaining(`CN=localhost (server certificate of ${hydraPublic.url}) expires in 9 days`), likelyCause: expect.stringContaining('ACM renews DNS-validated certificates') });
      // The API calls themselves went through the TLS fronts and passed.
      expect(report.results.filter((r: any) => r.step.startsWith('api: ')).every((r: any) => r.ok)).toBe(true);
    } finally {
      await hydraPublic.stop();
      await kratosPublic.stop();
    }
  }, 120_000);
});

describe('the verifier against a double as strict as Ory', () => {
  async function withDouble(options: Omit<Parameters<typeof startFakeOry>[0], 'connect'>, fn: (fake: FakeOry) => Promise<void>): Promise<void> {
    const fake = await startFakeOry({ connect: (db) => pgServer.superuserClient(db), ...options });
    try {
      await fn(fake);
      expect(fake.violations()).toEqual([]);
    } finally {
      await fake.stop();
    }
  }

  it('a registration that answers without a session token (no session hook) fails, and the new identity is still deleted', async () => {
    await withDouble({ registrationSessionHook: false }, async (fake) => {
      const run = await runCli(toFlags(settings(fake, { services: 'kratos' })));
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('registration answered without session_token');
      expect(run.stdout).toMatch(/cleanup: delete identity \(admin\)\s+PASS/);
      expect((await verifierArtifacts()).identities).toBe(0);
    });
  });

  it('builds the identity from the identity schema Kratos serves: other traits, another identifier', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        traits: {
          type: 'object',
          properties: {
            username: { type: 'string', maxLength: 64, 'ory.sh/kratos': { credentials: { password: { identifier: true } } } },
            email: { type: 'string', format: 'email' },
            newsletter: { type: 'boolean' },
          },
          required: ['username', 'email'],
          additionalProperties: false,
        },
      },
    };
    await withDouble({ identitySchema: schema }, async (fake) => {
      const run = await runCli(toFlags(settings(fake, { services: 'kratos' })));
      expect(run.stderr).not.toContain('FAIL');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/default\s+\| username, email, newsletter \| traits\.username/);
      for (const trait of [/"username": ?"verify-[^"]+"/, /"email": ?"crdb-ory-verify\+[^"]+@example\.com"/, /"newsletter": ?false/]) expect(run.stdout).toMatch(trait);
    });
  });

  it("finds the Keto row through Keto's own index (nid, namespace, object, relation, subject_id), not by scanning", async () => {
    const keto = await pgServer.superuserClient('keto');
    try {
      await keto.query('SET enable_seqscan = off');
      const nid = '881ef61f-086b-44d1-81ac-d246038cabda';
      const [plan] = (await keto.query(`EXPLAIN (FORMAT JSON) ${KETO_TUPLE_SQL}`, [nid, 'documents', ketoUuid(nid, 'a'), 'viewer', ketoUuid(nid, 'b')])).rows[0]['QUERY PLAN'];
      const nodes: any[] = [];
      const walk = (node: any) => {
        nodes.push(node);
        (node.Plans ?? []).forEach(walk);
      };
      walk(plan.Plan);
      const tuples = nodes.find((n) => n['Relation Name'] === 'keto_relation_tuples');
      expect(tuples['Index Name']).toBe('keto_relation_tuples_uuid_subject_ids_idx');
      const condition = String(tuples['Index Cond']).replace(/[()]|::text/g, '');
      for (const column of ['nid', 'namespace', 'object', 'relation', 'subject_id']) expect(condition).toContain(`${column} = `);
    } finally {
      await keto.end();
    }
  });

  it('a Keto namespace that does not exist is refused with 404, as Keto does', async () => {
    const run = await runCli(toFlags(settings(ory, { services: 'keto', ketoNamespace: 'folders' })));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/PUT http:\/\/127\.0\.0\.1:\d+\/admin\/relation-tuples answered 404 \(expected 201\): .*Unknown namespace with name \\"folders\\"/);
  });

  it('TLS failures of an HTTPS API endpoint name the endpoint\'s certificate, not the database CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-https-'));
    const ca = createTestCa(join(dir, 'ca'), 'private API CA');
    const cert = issueCertificate(ca, join(dir, 'server'), 'server', { commonName: 'localhost', extendedKeyUsage: 'serverAuth', subjectAltNames: ['DNS:localhost'] });
    const server = createHttpsServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (_req, res) => res.end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const untrusted = await runCli(toFlags(settings(ory, { services: 'hydra', hydraAdminUrl: `https://localhost:${port}` })));
      expectFailure(untrusted, 'tls', 'not signed by a CA this machine trusts', 'NODE_EXTRA_CA_CERTS');
      expect(untrusted.stdout).not.toMatch(/db-sslrootcert|ca\.crt is not the CA/);
    } finally {
      server.close();
    }
  });
});

describe('the double is strict where Ory is (requests the verifier never sends)', () => {
  const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });
  async function post(url: string, headers: Record<string, string>, body: string) {
    const response = await fetch(url, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as any };
  }
  async function newClient(grantTypes: string[], scope: string) {
    const response = await fetch(`${ory.urls.hydraAdmin}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'crdb-ory-verify strict', grant_types: grantTypes, scope }) });
    const client = (await response.json()) as any;
    return { id: client.client_id as string, basic: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` };
  }
  async function deleteClient(id: string) {
    await fetch(`${ory.urls.hydraAdmin}/admin/clients/${id}`, { method: 'DELETE' });
  }

  it('Hydra: grant_type, the client\'s grant types and its scope are enforced (fosite)', async () => {
    const client = await newClient(['client_credentials'], 'a b');
    const other = await newClient(['authorization_code'], 'a');
    try {
      const token = (fields: Record<string, string>, basic = client.basic) => {
        const { body, ...headers } = form(fields);
        return post(`${ory.urls.hydraPublic}/oauth2/token`, { ...headers, authorization: basic }, body);
      };
      expect(await token({ grant_type: 'client_credentials', scope: 'a b' })).toMatchObject({ status: 200, body: { scope: 'a b' } });
      expect(await token({ grant_type: 'password', scope: 'a' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
      expect(await token({ grant_type: 'client_credentials', scope: 'a c' })).toMatchObject({ status: 400, body: { error: 'invalid_scope', error_description: expect.stringContaining("not allowed to request scope 'c'") } });
      expect(await token({ grant_type: 'client_credentials' }, other.basic)).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    } finally {
      await deleteClient(client.id);
      await deleteClient(other.id);
    }
  });

  it('Kratos: an Origin or Cookie header on an API flow is refused', async () => {
    for (const header of [{ origin: 'https://app.example.com' }, { cookie: 'ory_session=x' }] as Array<Record<string, string>>) {
      const flow = (await (await fetch(`${ory.urls.kratosPublic}/self-service/login/api`)).json()) as any;
      const answer = await post(`${ory.urls.kratosPublic}/self-service/login?flow=${flow.id}`, { 'content-type': 'application/json', ...header }, JSON.stringify({ method: 'password', identifier: 'x@example.com', password: 'y' }));
      expect(answer.status).toBe(400);
      expect(answer.body.ui.messages[0].text).toMatch(/The HTTP Request Header included the "(Origin|Cookie)" key/);
    }
  });

  it('Keto: max-depth is capped by limit.max_read_depth and honoured for subject sets', async () => {
    const keto = await pgServer.superuserClient('keto');
    const { v5 } = await import('uuid');
    const nid = '881ef61f-086b-44d1-81ac-d246038cabda';
    const id = (s: string) => v5(s, nid);
    try {
      // docs:d#viewer@(groups:g#member), groups:g#member@alice
      for (const s of ['strict:doc', 'strict:group', 'strict:alice']) await keto.query('INSERT INTO keto_uuid_mappings (id, string_representation) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id(s), s]);
      await keto.query("INSERT INTO keto_relation_tuples (shard_id, nid, namespace, object, relation, subject_set_namespace, subject_set_object, subject_set_relation, commit_time) VALUES (gen_random_uuid(), $1, 'documents', $2, 'viewer', 'documents', $3, 'member', now())", [nid, id('strict:doc'), id('strict:group')]);
      await keto.query("INSERT INTO keto_relation_tuples (shard_id, nid, namespace, object, relation, subject_id, commit_time) VALUES (gen_random_uuid(), $1, 'documents', $2, 'member', $3, now())", [nid, id('strict:group'), id('strict:alice')]);
      const expand = async (depth: string): Promise<any> => (await fetch(`${ory.urls.ketoRead}/relation-tuples/expand?namespace=documents&object=strict:doc&relation=viewer&max-depth=${depth}`)).json();
      expect(JSON.stringify(await expand('2'))).toContain('"subject_id":"strict:alice"');
      const shallow = await expand('1');
      expect(JSON.stringify(shallow)).not.toContain('strict:alice');
      expect(shallow.children[0].tuple.subject_set).toEqual({ namespace: 'documents', object: 'strict:group', relation: 'member' });
      expect(JSON.stringify(await expand('0'))).toContain('"subject_id":"strict:alice"');
    } finally {
      await keto.query("DELETE FROM keto_relation_tuples WHERE object = $1 OR object = $2", [id('strict:doc'), id('strict:group')]);
      await keto.query('DELETE FROM keto_uuid_mappings WHERE string_representation LIKE $1', ['strict:%']);
      await keto.end();
    }
  });

  it('records a request that breaks the OpenAPI spec (a misspelled registration method) and answers 400 as Kratos does', async () => {
    const fake = await startFakeOry({ connect: (db) => pgServer.superuserClient(db) });
    try {
      const flow = (await (await fetch(`${fake.urls.kratosPublic}/self-service/registration/api`)).json()) as any;
      const answer = await post(`${fake.urls.kratosPublic}/self-service/registration?flow=${flow.id}`, { 'content-type': 'application/json' }, JSON.stringify({ method: 'pasword', password: 'x', traits: {} }));
      expect(answer.status).toBe(400);
      expect(answer.body.ui.messages[0].text).toContain('Could not find a strategy to sign you up with');
      expect(fake.violations()).toEqual([expect.stringMatching(/^kratos: POST \/self-service\/registration \(updateRegistrationFlow\) request body: \/method must be equal to one of the allowed values/)]);
    } finally {
      await fake.stop();
    }
  });
});

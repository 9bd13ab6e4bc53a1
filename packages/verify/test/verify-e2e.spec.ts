import { createServer, type Server } from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOry, type FakeOry } from './support/fake-ory-server';
import { elsewhereDatabase, EMPTY_DATABASE, startPgHarness, UNKNOWN_USER, type PgHarness } from './support/pg-harness';
import { runCli, toFlags } from './support/run-cli';

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

function settings(fake: FakeOry = ory, overrides: Record<string, string | number | boolean | undefined> = {}) {
  return {
    dbHost: pgServer.host,
    dbPort: pgServer.port,
    dbUser: 'verifier',
    certsDir: pgServer.certsDir,
    hydraPublicUrl: fake.urls.hydraPublic,
    hydraAdminUrl: fake.urls.hydraAdmin,
    kratosPublicUrl: fake.urls.kratosPublic,
    kratosAdminUrl: fake.urls.kratosAdmin,
    ketoReadUrl: fake.urls.ketoRead,
    ketoWriteUrl: fake.urls.ketoWrite,
    timeoutMs: 5000,
    ...overrides,
  };
}

async function countRows(database: string, sql: string): Promise<number> {
  const client = await pgServer.superuserClient(database);
  try {
    return Number((await client.query(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

async function verifierArtifacts(): Promise<{ clients: number; identities: number; tuples: number }> {
  return {
    clients: await countRows('hydra', "SELECT count(*) AS n FROM hydra_client WHERE client_name LIKE 'crdb-ory-verify %'"),
    identities: await countRows('kratos', "SELECT count(*) AS n FROM identities WHERE traits->>'email' LIKE 'crdb-ory-verify+%'"),
    tuples: await countRows('keto', 'SELECT count(*) AS n FROM keto_relation_tuples'),
  };
}

async function withClosedPort(fn: (port: number) => Promise<void>): Promise<void> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  await fn(port);
}

describe('full check against real PostgreSQL (TLS, client certs, Ory schemas) and the Ory test double', () => {
  it('passes every check, prints the records and the summary, and cleans up', async () => {
    const run = await runCli(toFlags(settings()));
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All checks passed.');
    for (const step of ['hydra: sql: hydra_oauth2_access row', 'kratos: sql: identity + password credential', 'keto: sql: relation tuple via keto_uuid_mappings', 'hydra: preflight: privileges']) {
      expect(run.stdout).toMatch(new RegExp(`${step.replace(/[+()]/g, '\\$&')}\\s+PASS`));
    }
    expect(run.stdout).toContain('-- kratos: sql: identity + password credential');
    expect(run.stdout).toMatch(/credential_type.*identifier.*hashed_password/);
    expect(run.stdout).toContain('$pbkdf2-sha256$');
    expect(run.stdout).toMatch(/^[0-9a-f-]{36} \| documents \| verify-doc-/m);
    expect(await verifierArtifacts()).toEqual({ clients: 0, identities: 0, tuples: 0 });
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
    const left = await verifierArtifacts();
    expect(left.clients).toBe(1);
    expect(left.tuples).toBe(1);
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
    expect(await verifierArtifacts()).toEqual({ clients: 0, identities: 0, tuples: 0 });
  });

  it('works with per-service users (each service user owns its tables) and with --services', async () => {
    const run = await runCli(toFlags(settings(ory, { dbUser: undefined, services: 'kratos', kratosDbUser: 'kratos', kratosTableOwner: 'kratos' })));
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sql_user | database | server_version');
    expect(run.stdout).toMatch(/kratos\s+\| kratos/);
    expect(run.stdout).not.toContain('hydra:');
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
  function expectFailure(run: { code: number; stdout: string; stderr: string }, kind: string, ...texts: (string | RegExp)[]) {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Verification FAILED.');
    expect(run.stdout).toContain(`[${kind}]`);
    for (const text of texts) {
      expect(run.stdout).toMatch(text);
      expect(run.stderr).toMatch(text);
    }
  }

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

  it("API error: status and Ory's error body", async () => {
    const failing = await startFakeOry({
      connect: (db) => pgServer.superuserClient(db),
      failures: { 'POST /self-service/registration': { status: 400, body: { error: { code: 400, status: 'Bad Request', reason: 'identity schema rejects traits', message: 'The request was malformed or contained invalid parameters' } } } },
    });
    try {
      const run = await runCli(toFlags(settings(failing, { services: 'kratos' })));
      expectFailure(run, 'api', /POST http:\/\/127\.0\.0\.1:\d+\/self-service\/registration\?flow=\S+ answered 400 \(expected 200\)/, '"reason":"identity schema rejects traits"');
    } finally {
      await failing.stop();
    }
  });

  it('rows missing although the API succeeded (the services write to another database)', async () => {
    const elsewhere = await startFakeOry({
      connect: (db) => pgServer.superuserClient(db),
      databases: { hydra: elsewhereDatabase('hydra'), kratos: elsewhereDatabase('kratos'), keto: elsewhereDatabase('keto') },
    });
    try {
      const run = await runCli(toFlags(settings(elsewhere)));
      expectFailure(run, 'rows-missing', /hydra_client has no row with id = [0-9a-f-]{36}/, /no identity [0-9a-f-]{36} with a password credential/, /keto_relation_tuples has no row for documents:verify-doc-/, 'writes to another database or cluster than the one checked');
      expect(run.stdout).toMatch(/hydra: api: introspect token \(admin\)\s+PASS/);
      expect(run.stdout).toMatch(/cleanup: delete OAuth2 client \(admin\)\s+PASS/);
    } finally {
      await elsewhere.stop();
    }
  });
});

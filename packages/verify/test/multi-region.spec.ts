/**
 * Multi-region verification against the real PostgreSQL harness: one Ory test double per region.
 * Doubles over one shared database stand for regions whose Ory services share the one CockroachDB
 * cluster (what makes a token or an identity from one region valid in another); doubles over two
 * databases stand for regions that do not share state, and the cross-region flow must fail.
 * The regions check's SQL is CockroachDB's: PostgreSQL refuses it, and the check says so.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOry, urlSettings, type FakeOry } from './support/fake-ory-server';
import { countRows, elsewhereDatabase, startPgHarness, type PgHarness } from './support/pg-harness';
import { runCli, toFlags } from './support/run-cli';

const EAST = 'us-east-1';
const EAST2 = 'us-east-2';

let pgServer: PgHarness;
let east: FakeOry;
let east2: FakeOry;
let apart: FakeOry;
let unshared: FakeOry;
let dir: string;

beforeAll(async () => {
  pgServer = await startPgHarness();
  const connect = (db: string) => pgServer.superuserClient(db);
  // The ory stack gives every region the same Hydra system secret (one issuer, shared secrets).
  const systemSecret = randomBytes(32);
  [east, east2, apart, unshared] = await Promise.all([
    startFakeOry({ connect, systemSecret }),
    startFakeOry({ connect, systemSecret }),
    // A region on other databases: it shares nothing with the other two.
    startFakeOry({ connect, systemSecret, databases: { hydra: elsewhereDatabase('hydra'), kratos: elsewhereDatabase('kratos'), keto: elsewhereDatabase('keto') } }),
    // A region on the shared databases whose Hydra has a system secret of its own.
    startFakeOry({ connect }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'verify-mr-'));
}, 120_000);

afterAll(async () => {
  await Promise.all([east, east2, apart, unshared].map((o) => o?.stop()));
  await pgServer?.stop();
}, 60_000);

afterEach(() => {
  for (const ory of [east, east2, apart, unshared]) expect(ory.violations()).toEqual([]);
});

let files = 0;
function endpointsFile(regions: Record<string, unknown>): string {
  const file = join(dir, `regions-${++files}.json`);
  writeFileSync(file, JSON.stringify(regions));
  return file;
}

function settings(overrides: Record<string, string | number | boolean | undefined> = {}) {
  return { services: 'hydra,kratos,keto', dbHost: pgServer.host, dbPort: pgServer.port, dbUser: 'verifier', certsDir: pgServer.certsDir, timeoutMs: 5000, ...overrides };
}

/** Operations each double answered since `from` (exchange index per double). */
function operationsSince(ory: FakeOry, from: number): string[] {
  return [...new Set(ory.exchanges().slice(from).map((e) => `${e.service} ${e.operationId}`))].sort();
}

describe('the cross-region flow (--region-endpoints), one Ory test double per region', () => {
  it('over one shared database: each region writes and the next reads back, every endpoint of every region exercised, then cleaned up', async () => {
    const [fromEast, fromEast2] = [east.exchanges().length, east2.exchanges().length];
    const file = endpointsFile({ [EAST]: urlSettings(east), [EAST2]: urlSettings(east2) });
    const run = await runCli(toFlags(settings({ regionEndpoints: file, json: true })));
    expect(run.stderr).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Verifying hydra (across ${EAST}, ${EAST2}), kratos (across ${EAST}, ${EAST2}), keto (across ${EAST}, ${EAST2})`);
    const report = JSON.parse(run.stdout);
    const groups = [...new Set(report.results.map((r: any) => r.service))];
    expect(groups).toEqual(['hydra', `hydra ${EAST} → ${EAST2}`, `hydra ${EAST2} → ${EAST}`, 'kratos', `kratos ${EAST} → ${EAST2}`, `kratos ${EAST2} → ${EAST}`, 'keto', `keto ${EAST} → ${EAST2}`, `keto ${EAST2} → ${EAST}`]);
    // The same steps as a single-region flow, in each direction.
    const steps = (group: string) => report.results.filter((r: any) => r.service === group).map((r: any) => r.step);
    expect(steps(`hydra ${EAST} → ${EAST2}`)).toEqual(['api: create OAuth2 client (admin)', 'api: client_credentials token (public)', 'api: introspect token (admin)', 'sql: hydra_client row', 'sql: hydra_oauth2_access row', 'cleanup: delete OAuth2 client (admin)']);
    expect(steps(`kratos ${EAST2} → ${EAST}`)).toContain('api: login (password)');
    expect(report.latency[`keto ${EAST} → ${EAST2}`].count).toBe(1);
    // Both regions wrote and both read back: every operation reached both doubles.
    const all = ['hydra createOAuth2Client', 'hydra deleteOAuth2Client', 'hydra introspectOAuth2Token', 'hydra oauth2TokenExchange', 'keto checkPermissionOrError', 'keto createRelationship', 'keto deleteRelationships', 'keto expandPermissions', 'kratos createNativeLoginFlow', 'kratos createNativeRegistrationFlow', 'kratos deleteIdentity', 'kratos getIdentitySchema', 'kratos toSession', 'kratos updateLoginFlow', 'kratos updateRegistrationFlow'];
    expect(operationsSince(east, fromEast)).toEqual(all);
    expect(operationsSince(east2, fromEast2)).toEqual(all);
    // The token issued through us-east-1 was introspected through us-east-2 (the double answers from the shared rows).
    const introspections = east2.exchanges().slice(fromEast2).filter((e) => e.operationId === 'introspectOAuth2Token');
    expect(introspections.map((e) => e.status)).toEqual([200]);
    const human = await runCli(toFlags(settings({ regionEndpoints: file, services: 'keto' })));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`keto ${EAST} → ${EAST2}: api: check written tuple \\(allowed\\) \\(read\\)\\s+PASS`));
  });

  it('over two databases (regions that share no state): the token, the identity and the tuple of one region are unknown in the other, exit 1', async () => {
    const file = endpointsFile({ [EAST]: urlSettings(east), [EAST2]: urlSettings(apart) });
    const run = await runCli(toFlags(settings({ regionEndpoints: file, json: true })));
    expect(run.code).toBe(1);
    const failed = JSON.parse(run.stdout).results.filter((r: any) => !r.ok).map((r: any) => [r.service, r.step, r.error.kind]);
    expect(failed).toEqual([
      [`hydra ${EAST} → ${EAST2}`, 'api: introspect token (admin)', 'mismatch'],
      [`kratos ${EAST} → ${EAST2}`, 'api: login (password)', 'api'],
      [`keto ${EAST} → ${EAST2}`, 'api: check written tuple (allowed) (read)', 'mismatch'],
    ]);
    const hydra = JSON.parse(run.stdout).results.find((r: any) => r.step === 'api: introspect token (admin)' && !r.ok);
    expect(hydra.error.message).toContain('introspection says the new token is not active');
    expect(hydra.error.likelyCause).toContain('different databases or system secrets');
    // What the first region created is still deleted through it.
    expect(await count('hydra', "SELECT count(*) AS n FROM hydra_client WHERE client_name LIKE 'crdb-ory-verify %'")).toBe(0);
    expect(await count('kratos', "SELECT count(*) AS n FROM identities WHERE traits->>'email' LIKE 'crdb-ory-verify+%'")).toBe(0);
  });
});

describe('the cross-region flow, regions sharing the database but not Hydra\'s system secret', () => {
  it('fails the introspection in the other region only (the token\'s signature does not verify there); Kratos and Keto pass', async () => {
    const file = endpointsFile({ [EAST]: urlSettings(east), [EAST2]: urlSettings(unshared) });
    const run = await runCli(toFlags(settings({ regionEndpoints: file, json: true })));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.results.filter((r: any) => !r.ok).map((r: any) => [r.service, r.step])).toEqual([[`hydra ${EAST} → ${EAST2}`, 'api: introspect token (admin)']]);
    expect(report.results.filter((r: any) => r.service.startsWith('kratos ') || r.service.startsWith('keto ')).every((r: any) => r.ok)).toBe(true);
  });
});

const count = (database: string, sql: string): Promise<number> => countRows(pgServer, database, sql);

describe('the multi-region settings', () => {
  it('refuse, before anything is contacted (exit 2): URLs given twice, a region lacking an endpoint, one region, a bad region name, a bad list of database regions', async () => {
    const file = endpointsFile({ [EAST]: urlSettings(east), [EAST2]: urlSettings(east2) });
    const twice = await runCli(toFlags(settings({ regionEndpoints: file, hydraPublicUrl: east.urls.hydraPublic })));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('Settings "hydraPublicUrl" and "regionEndpoints" are both set');
    const lacking: Record<string, string> = { ...urlSettings(east2) };
    delete lacking['ketoWriteUrl'];
    const missing = await runCli(toFlags(settings({ regionEndpoints: endpointsFile({ [EAST]: urlSettings(east), [EAST2]: lacking }) })));
    expect(missing.stderr).toContain(`region "${EAST2}" lacks "ketoWriteUrl", required to verify keto across regions`);
    const one = await runCli(toFlags(settings({ regionEndpoints: endpointsFile({ [EAST]: urlSettings(east) }) })));
    expect(one.stderr).toContain('1 region(s), a cross-region flow needs two or more');
    const badName = await runCli(toFlags(settings({ regionEndpoints: endpointsFile({ [EAST]: urlSettings(east), 'US East': urlSettings(east2) }) })));
    expect(badName.stderr).toContain('"US East" is not a region name');
    const badUrl = await runCli(toFlags(settings({ regionEndpoints: endpointsFile({ [EAST]: urlSettings(east), [EAST2]: { ...urlSettings(east2), hydraAdminUrl: 'localhost:4445' } }) })));
    expect(badUrl.stderr).toContain(`Setting "hydraAdminUrl" (flag --region-endpoints, region "${EAST2}") has value "localhost:4445"; allowed: an http:// or https:// URL.`);
    const unknown = await runCli(toFlags(settings({ regionEndpoints: endpointsFile({ [EAST]: urlSettings(east), [EAST2]: { ...urlSettings(east2), dbHost: 'x' } }) })));
    expect(unknown.stderr).toContain(`region "${EAST2}" has unknown key "dbHost"`);
    const twiceRegion = await runCli(toFlags(settings({ databaseRegions: `${EAST},${EAST2},${EAST}` })));
    expect(twiceRegion.code).toBe(2);
    expect(twiceRegion.stderr).toContain(`regions are listed twice: ${EAST}`);
    for (const run of [missing, one, badName, badUrl, unknown]) expect(run.code).toBe(2);
  });
});

describe('the databases\' regions and survival goal (--database-regions), against PostgreSQL', () => {
  it('PostgreSQL does not understand SHOW DATABASES\' region columns: the check fails saying it is not CockroachDB (exit 1), the services pass', async () => {
    const run = await runCli(toFlags(settings({ services: 'keto', databaseRegions: `${EAST},${EAST2},us-west-2`, ketoReadUrl: east.urls.ketoRead, ketoWriteUrl: east.urls.ketoWrite, json: true })));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Verifying keto, database regions');
    const report = JSON.parse(run.stdout);
    expect(report.results.filter((r: any) => r.service === 'keto').every((r: any) => r.ok)).toBe(true);
    expect(report.results.filter((r: any) => r.service === 'regions').map((r: any) => [r.step, r.ok])).toEqual([
      ['preflight: connect (sslmode=verify-full)', true],
      ['sql: database regions and survival goal (SHOW DATABASES)', false],
    ]);
    const failed = report.results.find((r: any) => !r.ok);
    expect(failed.error).toMatchObject({ kind: 'regions', message: expect.stringMatching(/^verifier@localhost:\d+\/hydra does not understand the regions check's SQL \(syntax error at or near "\["\): it is not CockroachDB$/) });
    expect(failed.error.likelyCause).toContain('leave out --database-regions');
  });
});

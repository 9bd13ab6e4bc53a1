import { pbkdf2Sync } from 'node:crypto';
import { assert, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatesOfPem, certificateFigure, checkExpiry, daysUntil } from '../src/certificate-expiry';
import { classifyError } from '../src/errors';
import { createTestCa, issueCertificate } from './support/test-pki';
import { hydraAccessTokenSignature, looksLikeOryHash, verifyPbkdf2 } from '../src/ory-hashes';
import { latencyStats, percentile } from '../src/percentiles';
import { formatRecord } from '../src/report';
import { summarizeLatency } from '../src/run';
import { envName, flagName } from '../src/settings';
import { settingsFromTerraformOutputs } from '../src/terraform-outputs';
import { identityFromSchema } from '../src/identity-traits';
import { ketoUuid } from '../src/keto-uuid';
import { COCKROACH_OUTPUT_SETTINGS } from '../src/terraform-outputs';
import { OpenApiContract } from './support/openapi-contract';

describe('percentiles (nearest rank)', () => {
  it('picks the ranked sample', () => {
    const samples = [15, 20, 35, 40, 50];
    expect(percentile(samples, 30)).toBe(20);
    expect(percentile(samples, 40)).toBe(20);
    expect(percentile(samples, 50)).toBe(35);
    expect(percentile(samples, 100)).toBe(50);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencyStats(hundred)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('rejects no samples and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow('no samples');
    expect(() => percentile([1], 101)).toThrow('outside 0..100');
  });

  it('summarizes only iterations that passed, flows without cleanup', () => {
    const step = (iteration: number, name: string, durationMs: number, ok = true) => ({ service: 'keto' as const, iteration, step: name, ok, durationMs });
    const stats = summarizeLatency([step(1, 'preflight: connect', 99), step(1, 'api: a', 10), step(1, 'cleanup: x', 5), step(2, 'api: a', 30), step(3, 'api: a', 1000, false)]);
    expect(stats['keto']).toEqual({ count: 2, p50: 10, p90: 30, p99: 30, max: 30 });
    expect(stats['keto: cleanup: x']?.count).toBe(1);
    expect(stats['keto: preflight: connect']).toBeUndefined();
  });
});

describe('Ory row facts', () => {
  // Fixed vectors, derived outside this code: `printf '%s' c2lnbmF0dXJlLXBhcnQ | openssl dgst -sha384`
  // (Hydra's x.SignatureHash is fmt.Sprintf("%x", sha512.Sum384([]byte(signature)))).
  it('a known access token gives a known hydra_oauth2_access.signature', () => {
    expect(hydraAccessTokenSignature('ory_at_Zm9vYmFyYmF6.c2lnbmF0dXJlLXBhcnQ')).toBe('fb8fe6ddd0820d8cefc59a4d0d229d943cfd6af5db49d88c9dc1a2c119f9dd9b8fbffb0c9948c4922b0d6299ad0ce3d2');
    // A JWT's signature is its third part (`printf '%s' sig | openssl dgst -sha384`).
    expect(hydraAccessTokenSignature('header.payload.sig')).toBe('d836306a27eda8799c39165cb89abfb1db3c64f56edf46977c68e657a0e36423aadfa52fa220a076129ee02c0395b1d2');
  });

  it('verifies PBKDF2 encodings and recognises Ory hash formats', () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = pbkdf2Sync('s3cret', salt, 1000, 32, 'sha256');
    const encoded = `$pbkdf2-sha256$i=1000,l=32$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
    expect(verifyPbkdf2('s3cret', encoded)).toBe(true);
    expect(verifyPbkdf2('other', encoded)).toBe(false);
    expect(verifyPbkdf2('s3cret', '$2a$10$abcdefghijklmnopqrstuv')).toBeUndefined();
    expect(looksLikeOryHash('$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW')).toBe(true);
    expect(looksLikeOryHash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')).toBe(true);
    expect(looksLikeOryHash(encoded)).toBe(true);
    expect(looksLikeOryHash('plain-secret')).toBe(false);
  });

  // Fixed vectors from Python's uuid module: uuid.uuid5(uuid.UUID(network_id), s), Keto's uuid.NewV5(nid, s).
  it('a known network id and string give a known Keto UUIDv5', () => {
    const nid = '881ef61f-086b-44d1-81ac-d246038cabda';
    expect(ketoUuid(nid, 'crdb-ory-verify:document')).toBe('2481e89f-645a-5fde-be98-2cd3e1db6604');
    expect(ketoUuid(nid, 'crdb-ory-verify:user')).toBe('a4f50608-94da-5867-a71d-a084129bd210');
    // RFC 4122's own example (DNS namespace, www.example.com).
    expect(ketoUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(() => ketoUuid('not-a-uuid', 'x')).toThrow('not-a-uuid is not a UUID');
  });
});

describe('test identity from the identity schema', () => {
  it('fills every trait by type and finds the password identifier', () => {
    const identity = identityFromSchema({ properties: { traits: { type: 'object', properties: { email: { type: 'string', format: 'email', 'ory.sh/kratos': { credentials: { password: { identifier: true } } } }, name: { type: 'object', properties: { first: { type: 'string' } } }, tags: { type: 'array' } } } } }, 'r1');
    expect(identity.traits).toEqual({ email: 'crdb-ory-verify+r1@example.com', name: { first: 'verify-r1' } });
    expect(identity).toMatchObject({ identifierPath: 'traits.email', identifier: 'crdb-ory-verify+r1@example.com' });
    expect(identity.password.length).toBeGreaterThan(20);
  });

  it('refuses a schema it cannot fill or log in with, saying why', () => {
    expect(() => identityFromSchema({ properties: { traits: { type: 'object', properties: { email: { type: 'string' } } } } }, 'r')).toThrow('marks no trait as the password identifier');
    expect(() => identityFromSchema({ properties: { traits: { type: 'object', properties: { phone: { type: 'string', pattern: '^\\+' } } } } }, 'r')).toThrow('identity schema trait traits.phone has a pattern');
  });
});

describe("Ory's OpenAPI specs as the contract of the test double", () => {
  const hydra = new OpenApiContract('hydra');
  const keto = new OpenApiContract('keto');
  const kratos = new OpenApiContract('kratos');
  const json = { 'content-type': 'application/json' };

  it('accepts what Ory documents', () => {
    expect(hydra.checkRequest({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=a' }).problems).toEqual([]);
    expect(keto.checkRequest({ method: 'GET', url: '/relation-tuples/expand?namespace=d&object=o&relation=r&max-depth=3', headers: {}, body: '' }).problems).toEqual([]);
  });

  it('refuses an unknown operation, an undeclared or missing parameter, a wrong body and an undeclared status', () => {
    expect(hydra.checkRequest({ method: 'POST', url: '/oauth2/tokens', headers: {}, body: '' }).problems).toEqual(["POST /oauth2/tokens: no such operation in hydra's API"]);
    expect(keto.checkRequest({ method: 'GET', url: '/relation-tuples/expand?namespace=d&object=o&relation=r&maxdepth=3', headers: {}, body: '' }).problems).toEqual(['GET /relation-tuples/expand (expandPermissions): query parameter "maxdepth" is not in the spec']);
    expect(keto.checkRequest({ method: 'GET', url: '/relation-tuples/expand?namespace=d&object=o', headers: {}, body: '' }).problems).toEqual(['GET /relation-tuples/expand (expandPermissions): required query parameter "relation" is missing']);
    expect(kratos.checkRequest({ method: 'POST', url: '/self-service/registration?flow=f', headers: json, body: JSON.stringify({ method: 'password', traits: {} }) }).problems[0]).toMatch(/must have required property 'password'/);
    const check = keto.match('GET', '/relation-tuples/check');
    expect(check && keto.checkResponse(check, 403, 'application/json', '{"allowed":"no"}')).toEqual(['GET /relation-tuples/check (checkPermissionOrError) response 403 body: /allowed must be boolean {"type":"boolean"}']);
    const create = hydra.match('POST', '/admin/clients');
    expect(create && hydra.checkResponse(create, 201, 'text/plain', 'x')).toEqual(['POST /admin/clients (createOAuth2Client) response 201: content type "text/plain", the spec declares application/json']);
    const del = hydra.match('DELETE', '/admin/clients/abc');
    expect(del && hydra.checkResponse(del, 204, undefined, '{"x":1}')).toEqual(['DELETE /admin/clients/{id} (deleteOAuth2Client) response 204: the spec declares no body, got {"x":1}']);
  });
});

describe('names and formats', () => {
  it('derives flag and environment names from setting keys', () => {
    expect(flagName('hydraDbSslcert')).toBe('hydra-db-sslcert');
    expect(envName('timeoutMs')).toBe('CRDB_ORY_VERIFY_TIMEOUT_MS');
  });

  it('prints records as psql does', () => {
    expect(formatRecord([{ id: 'a', n: 1, j: { x: [1] } }, { id: 'bbb', n: null }])).toBe(
      ['id  | n | j', '----+---+----------', 'a   | 1 | {"x":[1]}', 'bbb |   |', '(2 rows)'].join('\n'),
    );
    expect(formatRecord([])).toBe('(0 rows)');
  });

  it("takes the output names from the cockroach stack's contract, plus the two backup outputs it is gaining", () => {
    expect(Object.keys(COCKROACH_OUTPUT_SETTINGS).sort()).toEqual(['backup_bucket_name', 'backup_schedule_label', 'hydra_database', 'hydra_sql_user', 'keto_database', 'keto_sql_user', 'kratos_database', 'kratos_sql_user', 'sql_host', 'sql_port', 'verifier_sql_user']);
    const text = JSON.stringify({ sql_host: { value: 'sql.crdb-ory.internal' }, backup_bucket_name: { value: 'crdb-ory-backups-123456789012-us-east-1', type: 'string', sensitive: false }, backup_schedule_label: { value: 'crdb_ory_backup', type: 'string', sensitive: false } });
    expect(settingsFromTerraformOutputs(text, 'c.json')).toEqual({ dbHost: 'sql.crdb-ory.internal', backupBucketName: 'crdb-ory-backups-123456789012-us-east-1', backupScheduleLabel: 'crdb_ory_backup' });
  });

  it('maps the cockroach stack outputs to settings', () => {
    const text = JSON.stringify({ sql_host: { value: 'sql.crdb-ory.internal', type: 'string', sensitive: false }, sql_port: { value: 26257, type: 'number', sensitive: false }, keto_sql_user: { value: 'keto' }, node_private_ips: { value: ['10.0.0.10'] } });
    expect(settingsFromTerraformOutputs(text, 'c.json')).toEqual({ dbHost: 'sql.crdb-ory.internal', dbPort: 26257, ketoTableOwner: 'keto' });
  });
});

describe('days until expiry', () => {
  it('counts whole days left, rounded down, negative once expired', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(daysUntil(new Date('2026-01-31T00:00:00Z'), now)).toBe(30);
    expect(daysUntil(new Date('2026-01-30T23:59:59Z'), now)).toBe(29);
    expect(daysUntil(new Date('2025-12-31T12:00:00Z'), now)).toBe(-1);
  });

  it('reads every certificate of a PEM bundle (old and new CA during a rotation), with its expiry as openssl prints it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-pem-'));
    const oldCa = createTestCa(join(dir, 'old'), 'old CA', 20);
    const newCa = createTestCa(join(dir, 'new'), 'new CA');
    const bundle = readFileSync(oldCa.certFile, 'utf8') + readFileSync(newCa.certFile, 'utf8');
    const certificates = certificatesOfPem(bundle);
    expect(certificates.map((c) => c.subject)).toEqual(['CN=old CA', 'CN=new CA']);
    // `openssl x509 -enddate` is the reference for the expiry the figure reports.
    const enddate = execFileSync('openssl', ['x509', '-noout', '-enddate', '-in', oldCa.certFile], { encoding: 'utf8' }).replace('notAfter=', '').trim();
    const now = new Date();
    const figure = certificateFigure(certificates[0], 'ca.crt', 'ca', now);
    expect(figure).toMatchObject({ endpoint: 'ca.crt', role: 'ca', subject: 'CN=old CA', issuer: 'CN=old CA', notAfter: new Date(enddate).toISOString(), daysLeft: 19 });
    const leaf = issueCertificate(newCa, join(dir, 'leaf'), 'server', { commonName: 'node', extendedKeyUsage: 'serverAuth', subjectAltNames: ['DNS:node-1.crdb-ory.internal', 'IP:10.10.10.10'], days: 3 });
    // Measured after the leaf is issued: openssl starts its validity at the issuing second, so 3 days from then is under 3 days from now.
    const [leafCertificate] = certificatesOfPem(readFileSync(leaf.certFile));
    assert.exists(leafCertificate, 'the leaf certificate in its PEM file');
    expect(certificateFigure(leafCertificate, 'sql x:1', 'server', new Date())).toMatchObject({ daysLeft: 2, subjectAltNames: 'DNS:node-1.crdb-ory.internal, IP Address:10.10.10.10' });
  });

  it('fails below the threshold, naming every certificate and what renews each', () => {
    const figure = (role: 'server' | 'client' | 'ca', daysLeft: number) => ({ endpoint: `e-${role}`, role, subject: `CN=${role}`, issuer: 'CN=ca', notAfter: '2026-01-10T00:00:00.000Z', daysLeft, fingerprint256: role });
    expect(() => checkExpiry([{ figure: figure('server', 30), source: 'database' }], 30, '--x')).not.toThrow();
    let error: any;
    try {
      checkExpiry([{ figure: figure('server', 29), source: 'database' }, { figure: figure('client', 1), source: 'database' }, { figure: figure('ca', 400), source: 'database' }], 30, '--x');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      kind: 'expiring',
      message: 'CN=server (server certificate of e-server) expires in 29 days (2026-01-10T00:00:00.000Z); CN=client (client certificate of e-client) expires in 1 day (2026-01-10T00:00:00.000Z): fewer than --x 30',
    });
    expect(error.likelyCause).toMatch(/^the node certificate is due for renewal: .*; the client certificate is due for renewal: /);
    expect(() => checkExpiry([{ figure: figure('server', 10), source: 'api' }], 30, '--x')).toThrow(expect.objectContaining({ likelyCause: expect.stringContaining('ACM renews') }));
  });
});

describe('error classification', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'unreachable'],
    [new TypeError('fetch failed', { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x' } }), 'unreachable'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, 'tls'],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'tls'],
    [{ code: '28P01', message: 'password authentication failed' }, 'auth'],
    [{ code: '42P01', message: 'relation "hydra_client" does not exist' }, 'tables-missing'],
    [{ code: '42501', message: 'permission denied for table hydra_client' }, 'privileges'],
    [{ name: 'TimeoutError', message: 'The operation was aborted due to timeout' }, 'unreachable'],
  ])('%o is %s', (error, kind) => {
    expect(classifyError(error, 'target', 1000).kind).toBe(kind);
  });
});

import { createHash, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../src/errors';
import { hydraAccessTokenSignature, looksLikeOryHash, verifyPbkdf2 } from '../src/ory-hashes';
import { latencyStats, percentile } from '../src/percentiles';
import { formatRecord } from '../src/report';
import { summarizeLatency } from '../src/run';
import { envName, flagName } from '../src/settings';
import { settingsFromTerraformOutputs } from '../src/terraform-outputs';
import { uuidV5 } from './support/fake-ory-server';

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
  it('hashes the opaque token signature (part after the dot) with SHA-384, as Hydra v26 stores it', () => {
    const sha384 = (s: string) => createHash('sha384').update(s).digest('hex');
    expect(hydraAccessTokenSignature('ory_at_abc.def')).toBe(sha384('def'));
    expect(hydraAccessTokenSignature('h.p.sig')).toBe(sha384('sig'));
    expect(hydraAccessTokenSignature('nodot')).toBe(sha384(''));
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

  it('the test double maps Keto strings with RFC 4122 UUIDv5 (known vector)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
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

  it('maps the cockroach stack outputs to settings', () => {
    const text = JSON.stringify({ sql_host: { value: 'sql.crdb-ory.internal', type: 'string', sensitive: false }, sql_port: { value: 26257, type: 'number', sensitive: false }, keto_sql_user: { value: 'keto' }, node_private_ips: { value: ['10.0.0.10'] } });
    expect(settingsFromTerraformOutputs(text, 'c.json')).toEqual({ dbHost: 'sql.crdb-ory.internal', dbPort: 26257, ketoTableOwner: 'keto' });
  });
});

describe('error classification', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'unreachable'],
    [new TypeError('fetch failed', { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x' } }), 'unreachable'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, 'tls'],
    [{ code: '28P01', message: 'password authentication failed' }, 'auth'],
    [{ code: '42P01', message: 'relation "hydra_client" does not exist' }, 'tables-missing'],
    [{ code: '42501', message: 'permission denied for table hydra_client' }, 'privileges'],
    [{ name: 'TimeoutError', message: 'The operation was aborted due to timeout' }, 'unreachable'],
  ])('%o is %s', (error, kind) => {
    expect(classifyError(error, 'target', 1000).kind).toBe(kind);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthPki } from './synth';

/**
 * Why the renewal may bring the nodes and Ory onto a renewed CA one at a time: the cockroach-pki
 * stack re-issues the CA certificate (tls_self_signed_cert, inside its early-renewal window) with
 * the same private key and subject, so certificates signed under either CA certificate verify
 * against the other. Shown with openssl on real certificates; and a new CA key is what breaks it.
 */
const dir = mkdtempSync(join(tmpdir(), 'crdb-ca-renewal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' }).toString();
const verify = (ca: string, leaf: string) => spawnSync('openssl', ['verify', '-CAfile', file(ca), file(leaf)], { encoding: 'utf8' }).status === 0;

function caCertificate(name: string, key: string, days: number): void {
  openssl('req', '-x509', '-new', '-key', file(key), '-out', file(name), '-subj', '/O=crdb-ory/CN=Cockroach CA', '-days', String(days), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature,keyEncipherment');
}

function leaf(name: string, ca: string, caKey: string): void {
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', '/O=crdb-ory/CN=node');
  writeFileSync(file(`${name}.ext`), 'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(ca), '-CAkey', file(caKey), '-CAcreateserial', '-out', file(name), '-days', '365', '-extfile', file(`${name}.ext`));
}

describe('renewing the CA: the order the renewal may follow', () => {
  openssl('genrsa', '-out', file('ca.key'), '2048');
  caCertificate('ca-old.crt', 'ca.key', 20);
  leaf('node-old.crt', 'ca-old.crt', 'ca.key');
  // The renewal: the CA certificate re-issued from the same key, then every leaf re-issued under it.
  caCertificate('ca-new.crt', 'ca.key', 3650);
  leaf('node-new.crt', 'ca-new.crt', 'ca.key');

  it('a node or pod still holding the old CA trusts a peer already on a renewed certificate, and the reverse', () => {
    expect(verify('ca-old.crt', 'node-new.crt')).toBe(true);
    expect(verify('ca-new.crt', 'node-old.crt')).toBe(true);
    expect(verify('ca-new.crt', 'node-new.crt')).toBe(true);
  });

  it('a CA with a new key trusts none of the certificates in use: the renewal refuses such a plan', () => {
    openssl('genrsa', '-out', file('other.key'), '2048');
    caCertificate('ca-rotated.crt', 'other.key', 3650);
    expect(verify('ca-rotated.crt', 'node-old.crt')).toBe(false);
  });

  it('the cockroach-pki stack re-issues the CA certificate from a key that is a resource of its own (a renewal replaces the certificate, not the key)', () => {
    const json = synthPki();
    const [caName, ca] = Object.entries(json.resource.tls_self_signed_cert as Record<string, any>)[0]!;
    expect(caName).toMatch(/^ca_cert_/);
    expect(ca.private_key_pem).toMatch(/^\$\{tls_private_key\.ca_key_[0-9A-F]{8}\.private_key_pem\}$/);
    expect(ca.early_renewal_hours).toBe(720);
    for (const signed of Object.values(json.resource.tls_locally_signed_cert as Record<string, any>)) {
      expect(signed.ca_cert_pem).toBe(`\${tls_self_signed_cert.${caName}.cert_pem}`);
      expect(signed.ca_private_key_pem).toBe(ca.private_key_pem);
    }
  });
});

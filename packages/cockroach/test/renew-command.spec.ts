import { X509Certificate } from 'node:crypto';
import { assert, beforeAll, describe, expect, it } from 'vitest';
import { oryPresentedCertificateParameterName } from '../src';
import { pemCertificates } from '../src/ops';
import { RenewalWorld, renewalChanges } from './renewal-world';

const TIMEOUT = 240_000;
const SERVICES = ['hydra', 'kratos', 'keto'];
const presented = (world: RenewalWorld, service: string): string[] => pemCertificates(world.parameter(oryPresentedCertificateParameterName('crdb-ory', service)));
/** Certificate `index` of those `service` presents (0 the CA, 1 its client certificate); fails the test when it presents fewer. */
function presentedAt(world: RenewalWorld, service: string, index: number): string {
  const certificates = presented(world, service);
  assert.exists(certificates[index], `certificate ${index} of the ${certificates.length} ${service} presents`);
  return certificates[index];
}
/** Field `key` of the stubbed secret `leaf`; fails the test when the secret lacks it. */
function secretField(world: RenewalWorld, leaf: string, key: string): string {
  const value = world.secret(leaf)[key];
  assert.exists(value, `${key} in the secret ${leaf}`);
  return value;
}
const daysLeft = (pem: string): number => (new Date(new X509Certificate(pem).validTo).getTime() - Date.now()) / 86_400_000;
const changes = renewalChanges;

describe('renew-certificates against stubs: node and client certificates inside the renewal window', () => {
  // The command's one end-to-end spec with every stub a process of its own, as on PATH.
  const world = new RenewalWorld({ leafDays: 10, stubProcesses: true });
  const before = { node1: world.nodeFile(1, 'var/lib/cockroach/certs/node.crt'), hydra: presentedAt(world, 'hydra', 1) };
  let result: ReturnType<RenewalWorld['renew']>;
  beforeAll(() => {
    result = world.renew('--yes');
  }, TIMEOUT);

  it('renews in order: cockroach-pki, then each node one at a time, then ory; then verifies', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(changes(world)).toEqual(['apply cockroach-pki', 'refresh i-0c000000000000001', 'refresh i-0c000000000000002', 'refresh i-0c000000000000003', 'apply ory']);
    expect(result.stdout).toContain('re-issues 8:');
    expect(result.stdout).toMatch(/Done: the nodes and hydra, kratos, keto present the renewed certificates/);
  });

  it('each node holds its renewed certificate and re-read it without a restart (SIGHUP), and answered ready before the next', () => {
    for (const n of [1, 2, 3]) {
      const onNode = world.nodeFile(n, 'var/lib/cockroach/certs/node.crt');
      expect(onNode.trim()).toBe(secretField(world, `node-${n}`, 'node.crt').trim());
      expect(daysLeft(onNode)).toBeGreaterThan(360);
    }
    expect(world.nodeFile(1, 'var/lib/cockroach/certs/node.crt')).not.toBe(before.node1);
    expect(world.calls().filter((c) => c === 'systemctl reload cockroach.service')).toHaveLength(3);
    expect(world.calls().some((c) => c.startsWith('systemctl restart'))).toBe(false);
    expect(result.stdout).toMatch(/3\.1 node 1 \(i-0c000000000000001\): node certificates changed: cockroach re-read them \(SIGHUP\); ready/);
  });

  it('every Ory service rolled its pods one at a time onto the renewed Secret, and presents the client certificate now in Secrets Manager', () => {
    for (const service of SERVICES) {
      const ca = presentedAt(world, service, 0);
      const client = presentedAt(world, service, 1);
      expect(client.trim()).toBe(secretField(world, `client-${service}`, `client.${service}.crt`).trim());
      expect(ca.trim()).toBe(secretField(world, `client-${service}`, 'ca.crt').trim());
      expect(daysLeft(client)).toBeGreaterThan(360);
      expect(world.renewalEvents().filter((e) => e.startsWith(`ory ${service}:`))).toEqual([1, 2, 3].map((p) => `ory ${service}: new pod ${p} ready, old pod ${p} removed`));
      expect(result.stdout).toMatch(new RegExp(`${service} presents its client certificate from Secrets Manager, valid until `));
    }
    expect(presented(world, 'hydra')[1]).not.toBe(before.hydra);
  });

  it('running it again finds nothing due and changes nothing', () => {
    const again = world.renew('--yes');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing is due for renewal');
    expect(again.stdout).toContain('certificates unchanged');
    expect(again.stdout).toContain('Ory already holds the certificates in Secrets Manager: nothing to roll');
    expect(changes(world).filter((c) => c.startsWith('apply'))).toEqual(['apply cockroach-pki', 'apply ory']);
  }, TIMEOUT);
});

describe('renew-certificates against stubs: it changes nothing when it must not', () => {
  it('--dry-run plans and checks cockroach-pki, prints every step, applies nothing', () => {
    const world = new RenewalWorld();
    const result = world.renew('--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('re-issues 8:');
    expect(result.stdout).toContain('3.2 would refresh node 2 (i-0c000000000000002)');
    expect(result.stdout).toContain('Dry run: nothing was changed.');
    expect(changes(world)).toEqual([]);
    expect(daysLeft(secretField(world, 'node-1', 'node.crt'))).toBeLessThan(11);
  }, TIMEOUT);

  it('without --yes: a usage error', () => {
    const result = new RenewalWorld().renew();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('run it with --dry-run to see what it would do, then with --yes');
  }, TIMEOUT);

  it('refuses a cockroach-pki plan that replaces the CA key (a CA rotation), before anything', () => {
    const world = new RenewalWorld({ pki: { extraPlanChanges: [{ address: 'tls_private_key.ca_key_1A2B3C4D', type: 'tls_private_key', mode: 'managed', change: { actions: ['delete', 'create'] } }] } });
    const result = world.renew('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('stopped before changing anything');
    expect(result.stderr).toContain('tls_private_key.ca_key_1A2B3C4D (delete+create): a new private key, for the CA: a CA rotation');
    expect(changes(world)).toEqual([]);
  }, TIMEOUT);

  it('stops before Ory when its plan would change more than the renewal (the nodes already hold the new certificates)', () => {
    const world = new RenewalWorld({ ory: { extraPlanChanges: [{ address: 'kubernetes_namespace_v1.ory-namespace', type: 'kubernetes_namespace_v1', mode: 'managed', change: { actions: ['delete', 'create'] } }] } });
    const result = world.renew('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('stopped before changing Ory: its plan also changes kubernetes_namespace_v1.ory-namespace (delete+create)');
    expect(changes(world)).toEqual(['apply cockroach-pki', 'refresh i-0c000000000000001', 'refresh i-0c000000000000002', 'refresh i-0c000000000000003']);
  }, TIMEOUT);

  it('stops when a release does not roll (Helm rolls it back): the presented certificate, and so its alarm, still show the old one', () => {
    const world = new RenewalWorld({ ory: { applyFails: true } });
    const old = presentedAt(world, 'hydra', 1);
    const result = world.renew('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('stopped: applying ory failed');
    expect(result.stderr).toContain('rolled back due to atomic being set');
    expect(presented(world, 'hydra')[1]).toBe(old);
    expect(daysLeft(old)).toBeLessThan(11);
  }, TIMEOUT);
});

describe('renew-certificates against stubs: the CA inside its renewal window', () => {
  it('re-issues the CA and every certificate it signed; the nodes and Ory get the new CA with their new leaves', () => {
    const world = new RenewalWorld({ leafDays: 300, caDays: 20 });
    const result = world.renew('--yes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('re-issues 9:');
    expect(world.renewalEvents()[0]).toBe('cockroach-pki re-issued tls_self_signed_cert.ca_cert_8F3A2B1C');
    const ca = secretField(world, 'node-1', 'ca.crt');
    expect(daysLeft(ca)).toBeGreaterThan(360);
    for (const n of [1, 2, 3]) expect(world.nodeFile(n, 'var/lib/cockroach/certs/ca.crt').trim()).toBe(ca.trim());
    for (const service of SERVICES) expect(presentedAt(world, service, 0).trim()).toBe(ca.trim());
  }, TIMEOUT);
});

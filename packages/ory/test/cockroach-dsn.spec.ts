import { Testing, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { CERTS_MOUNT_PATH, NLB_IDLE_TIMEOUT_SECONDS, cockroachDsn } from '../src';

const PARTS = { user: 'hydra', host: 'sql.crdb-ory.internal', port: 26257, database: 'hydra', maxConns: 10, maxConnLifetimeSeconds: 300 };

describe('cockroachDsn', () => {
  it('uses the cockroach scheme, full verification and the mounted certificate files', () => {
    const url = new URL(cockroachDsn(PARTS));
    expect(url.protocol).toBe('cockroach:');
    expect(url.username).toBe('hydra');
    expect(url.host).toBe('sql.crdb-ory.internal:26257');
    expect(url.pathname).toBe('/hydra');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      sslmode: 'verify-full',
      sslrootcert: `${CERTS_MOUNT_PATH}/ca.crt`,
      sslcert: `${CERTS_MOUNT_PATH}/client.crt`,
      sslkey: `${CERTS_MOUNT_PATH}/client.key`,
      max_conns: '10',
      max_conn_lifetime: '300s',
    });
  });

  it('percent-encodes the user and database', () => {
    const dsn = cockroachDsn({ ...PARTS, user: 'ory user@1', database: 'db/x' });
    expect(dsn.startsWith('cockroach://ory%20user%401@sql.crdb-ory.internal:26257/db%2Fx?')).toBe(true);
    expect(new URL(dsn).username).toBe('ory%20user%401');
  });

  it('encodes apply-time values with Terraform urlencode()', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'dsn');
    const user = new TerraformVariable(stack, 'user', { type: 'string' }).stringValue;
    new TerraformOutput(stack, 'dsn', { value: cockroachDsn({ ...PARTS, user }) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.dsn.value).toMatch(/^cockroach:\/\/\$\{urlencode\(var\.user\)\}@sql\.crdb-ory\.internal:26257\/hydra\?sslmode=verify-full&/);
  });

  it('refuses a connection lifetime at or above the load balancer idle timeout', () => {
    expect(() => cockroachDsn({ ...PARTS, maxConnLifetimeSeconds: NLB_IDLE_TIMEOUT_SECONDS })).toThrow(/maxConnLifetimeSeconds 350 must be below/);
    expect(() => cockroachDsn({ ...PARTS, maxConns: 0 })).toThrow(/maxConns 0/);
  });
});

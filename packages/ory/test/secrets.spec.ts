import { describe, expect, it } from 'vitest';
import { Template } from '@crdb-ory/core/testing';
import { synthOry } from './support/synth-ory';

const { json } = synthOry({ domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'] });
const secrets: Record<string, any> = Object.fromEntries(Template.fromJSON(json).all('kubernetes_secret_v1').map((s) => [s.metadata.name, s]));
const REFERENCE = /^\$\{[^]*\}$/;

describe('per-service Kubernetes Secrets', () => {
  it('one Secret per service in the Ory namespace, with exactly the keys its chart reads', () => {
    expect(Object.keys(secrets).sort()).toEqual(['hydra-secrets', 'keto-secrets', 'kratos-secrets']);
    const certKeys = ['ca.crt', 'client.crt', 'client.key'];
    expect(Object.keys(secrets['hydra-secrets'].data).sort()).toEqual([...certKeys, 'dsn', 'secretsCookie', 'secretsSystem'].sort());
    expect(Object.keys(secrets['kratos-secrets'].data).sort()).toEqual([...certKeys, 'dsn', 'secretsCipher', 'secretsCookie', 'secretsDefault'].sort());
    expect(Object.keys(secrets['keto-secrets'].data).sort()).toEqual([...certKeys, 'dsn'].sort());
    for (const secret of Object.values(secrets)) expect(secret.metadata.namespace).toMatch(/kubernetes_namespace_v1\./);
  });

  it.each(['hydra', 'kratos', 'keto'])('%s: certificate material comes from its own Secrets Manager secret, by its SQL user', (service) => {
    const data = secrets[`${service}-secrets`].data;
    const [source] = Object.entries(json.data.aws_secretsmanager_secret_version as Record<string, any>).find(([, d]) =>
      d.secret_id === `\${jsondecode(data.aws_ssm_parameter.published-cockroach-pki-${service}_client_secret_arn.insecure_value)}`,
    ) ?? [];
    expect(source).toBeDefined();
    const bundle = `jsondecode(data.aws_secretsmanager_secret_version.${source}.secret_string)`;
    expect(data['ca.crt']).toBe(`\${${bundle}["ca.crt"]}`);
    expect(data['client.crt']).toBe(`\${${bundle}["client.\${data.terraform_remote_state.remote-state-cockroach.outputs.${service}_sql_user}.crt"]}`);
    expect(data['client.key']).toBe(`\${${bundle}["client.\${data.terraform_remote_state.remote-state-cockroach.outputs.${service}_sql_user}.key"]}`);
  });

  it.each(['hydra', 'kratos', 'keto'])('%s: DSN to the SQL load balancer with cockroach://, verify-full and the mounted certificates', (service) => {
    const dsn: string = secrets[`${service}-secrets`].data.dsn;
    const cockroach = (name: string) => `\${data.terraform_remote_state.remote-state-cockroach.outputs.${name}}`;
    expect(dsn).toBe(
      `cockroach://\${urlencode(${cockroach(`${service}_sql_user`).slice(2, -1)})}@${cockroach('sql_host')}:${cockroach('sql_port')}/` +
        `\${urlencode(${cockroach(`${service}_database`).slice(2, -1)})}` +
        '?sslmode=verify-full&sslrootcert=/etc/cockroach-certs/ca.crt&sslcert=/etc/cockroach-certs/client.crt&sslkey=/etc/cockroach-certs/client.key&max_conns=10&max_conn_lifetime=300s',
    );
  });

  it('Ory secrets are generated once by Terraform (random_password, no keepers), 32 characters', () => {
    const passwords = json.resource.random_password as Record<string, any>;
    for (const [key, name] of [
      ['secretsSystem', 'hydra'],
      ['secretsCookie', 'hydra'],
      ['secretsDefault', 'kratos'],
      ['secretsCookie', 'kratos'],
      ['secretsCipher', 'kratos'],
    ]) {
      const value: string = secrets[`${name}-secrets`].data[key];
      const address = /^\$\{random_password\.([^.]+)\.result\}$/.exec(value)?.[1];
      expect(address, `${name}.${key}`).toBeDefined();
      expect(passwords[address ?? '']).toMatchObject({ length: 32, special: false });
      expect(passwords[address ?? ''].keepers).toBeUndefined();
    }
    expect(Object.keys(passwords)).toHaveLength(5);
  });

  it('no secret literal anywhere: every Secret value is a reference, no key material or Ory secret in the JSON', () => {
    for (const secret of Object.values(secrets)) {
      for (const [key, value] of Object.entries(secret.data as Record<string, string>)) {
        if (key === 'dsn') continue; // checked above: no password, authentication is the client certificate
        expect(value, key).toMatch(REFERENCE);
      }
    }
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)/);
    expect(text).not.toMatch(/secrets(System|Cookie|Default|Cipher)\\?"\s*:\s*\\?"[A-Za-z0-9]{16,}/);
    expect(text).not.toMatch(/password=|:[^@/]+@sql/);
  });

  it('the Helm values carry no DSN and no Ory secret: the charts read them from the Secrets', () => {
    for (const release of Template.fromJSON(json).all('helm_release')) {
      const values: string = release.values.join('\n');
      expect(values).not.toMatch(/\bdsn\b|cockroach:\/\//);
      expect(values).not.toMatch(/^\s*secrets:/m);
      expect(values).not.toContain('random_password');
    }
  });
});

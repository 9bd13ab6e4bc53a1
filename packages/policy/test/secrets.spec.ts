import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import { NO_LITERAL_PASSWORD, NO_ORY_SECRET_LITERAL, NO_PRIVATE_KEY } from '../src';
import { findings } from './fixture';

// Assembled at run time so this file itself holds no key-shaped literal.
const PEM_KEY = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEexample\n-----END', 'RSA PRIVATE KEY-----'].join(' ');

describe('CRDB-SECRET-001 no PEM private key', () => {
  it('passes a public certificate and a key passed by reference', () => {
    const result = findings(NO_PRIVATE_KEY, (s) => {
      const key = new TerraformVariable(s, 'key', { type: 'string', sensitive: true });
      new SecretsmanagerSecretVersion(s, 'v', { secretId: 's', secretString: key.stringValue });
      new TerraformOutput(s, 'ca', { value: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
    });
    expect(result).toEqual([]);
  });

  it('fails a private key in a resource and in an output', () => {
    const result = findings(NO_PRIVATE_KEY, (s) => {
      new SecretsmanagerSecretVersion(s, 'v', { secretId: 's', secretString: JSON.stringify({ 'node.key': PEM_KEY }) });
      new TerraformOutput(s, 'leak', { value: PEM_KEY });
    });
    expect(result.map((f) => f.address)).toEqual([expect.stringMatching(/^aws_secretsmanager_secret_version\./), 'output.leak']);
  });
});

describe('CRDB-SECRET-002 no literal password or DSN password', () => {
  it('passes references and a DSN whose password is a reference or absent', () => {
    const result = findings(NO_LITERAL_PASSWORD, (s) => {
      const pw = new TerraformVariable(s, 'pw', { type: 'string', sensitive: true });
      new DbInstance(s, 'db', { instanceClass: 'db.t3.micro', password: pw.stringValue });
      new TerraformOutput(s, 'dsn', { value: `cockroach://hydra:${pw.stringValue}@sql.crdb-ory.internal:26257/hydra` });
      new TerraformOutput(s, 'cert-dsn', { value: 'cockroach://hydra@sql.crdb-ory.internal:26257/hydra?sslmode=verify-full' });
    });
    expect(result).toEqual([]);
  });

  it('fails a literal password and a DSN with a literal password', () => {
    const result = findings(NO_LITERAL_PASSWORD, (s) => {
      new DbInstance(s, 'db', { instanceClass: 'db.t3.micro', password: 'hunter2hunter2' });
      new TerraformOutput(s, 'dsn', { value: 'postgres://app:s3cret@db:5432/app' });
    });
    expect(result.map((f) => f.ruleId)).toEqual(['CRDB-SECRET-002', 'CRDB-SECRET-002']);
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('password');
  });
});

describe('CRDB-SECRET-003 no Ory secret literal', () => {
  it('passes secrets passed by reference in Helm values and a Kubernetes Secret', () => {
    const result = findings(NO_ORY_SECRET_LITERAL, (s) => {
      const system = new TerraformVariable(s, 'system', { type: 'string', sensitive: true });
      new Release(s, 'hydra', { name: 'hydra', chart: 'hydra', values: [`hydra:\n  config:\n    secrets:\n      system: ["${system.stringValue}"]\n`] });
      new SecretV1(s, 'secret', { metadata: { name: 'hydra' }, data: { secretsSystem: system.stringValue } });
    });
    expect(result).toEqual([]);
  });

  it('fails literal secrets in values YAML, in a set entry and in a Kubernetes Secret', () => {
    const result = findings(NO_ORY_SECRET_LITERAL, (s) => {
      new Release(s, 'hydra', { name: 'hydra', chart: 'hydra', values: ['hydra:\n  config:\n    secrets:\n      system: ["a-very-long-literal-system-secret"]\n'] });
      new Release(s, 'kratos', { name: 'kratos', chart: 'kratos', set: [{ name: 'kratos.config.secrets.cookie[0]', value: 'literal-cookie-secret-value' }] });
      new SecretV1(s, 'secret', { metadata: { name: 'kratos' }, data: { secretsCipher: '32-characters-long-cipher-secret' } });
    });
    expect(result.map((f) => f.message)).toEqual([
      expect.stringContaining('hydra.config.secrets.system.0'),
      expect.stringContaining('kratos.config.secrets.cookie.0'),
      expect.stringContaining('data.secretsCipher'),
    ]);
  });
});

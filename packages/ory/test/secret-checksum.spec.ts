/**
 * The pods' Secret digest annotation, evaluated by the real Terraform CLI (1.11): the expression
 * the stack synthesizes, with the Secret's planned `data` as a sensitive value (the kubernetes
 * provider marks `data` sensitive). No provider is needed for `terraform console`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terraformJsonEncode } from '@crdb-ory/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRET_CHECKSUM_ANNOTATION } from '../src';
import { synthOry } from './support/synth-ory';

const dir = mkdtempSync(join(tmpdir(), 'ory-checksum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'main.tf'), 'variable "secret_data" {\n  type      = map(string)\n  sensitive = true\n}\n');

/** `terraform console` of one expression with `var.secret_data` set; its printed value. */
function terraformConsole(expression: string, data: Record<string, string>): string {
  const varFile = join(dir, 'data.tfvars.json');
  writeFileSync(varFile, JSON.stringify({ secret_data: data }));
  const run = spawnSync('terraform', ['console', `-var-file=${varFile}`], { cwd: dir, input: `${expression}\n`, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' } });
  expect(run.status, `${run.stdout}${run.stderr}${run.error?.message ?? ''}`).toBe(0);
  return run.stdout.trim();
}

const { values, json } = synthOry();
const SECRET_REFERENCE = /kubernetes_secret_v1\.([\w-]+)\.data/;

function annotationExpression(service: string): string {
  const annotation: string = values[service].deployment.podMetadata.annotations[SECRET_CHECKSUM_ANNOTATION];
  const inner = /^\$\{(.*)\}$/.exec(annotation)?.[1] ?? '';
  const secret = SECRET_REFERENCE.exec(inner)?.[1] ?? '';
  expect(json.resource.kubernetes_secret_v1[secret]?.metadata.name).toBe(`${service}-secrets`);
  return inner.replace(SECRET_REFERENCE, 'var.secret_data');
}

const PEM = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
const DATA = { 'ca.crt': PEM('MIIBca<&>'), 'client.crt': PEM('MIIBclient1'), 'client.key': '-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----\n', dsn: 'cockroach://hydra@sql.crdb-ory.internal:26257/hydra?sslmode=verify-full', secretsSystem: 'Aa0Aa0' };

describe('the Secret digest, as Terraform evaluates it', () => {
  it.each(['hydra', 'kratos', 'keto'])('%s: a non-sensitive SHA-256 of the sensitive data, changing exactly when the content does', (service) => {
    const expression = annotationExpression(service);
    const quoted = (text: string) => JSON.parse(text) as string;
    const digest = quoted(terraformConsole(expression, DATA));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    // The offline rendering's stand-in computes the same value (terraformJsonEncode + SHA-256).
    expect(digest).toBe(createHash('sha256').update(terraformJsonEncode(DATA)).digest('hex'));
    expect(quoted(terraformConsole(expression, { ...DATA }))).toBe(digest);
    expect(quoted(terraformConsole(expression, { ...DATA, 'client.crt': PEM('MIIBclient2') }))).not.toBe(digest);
    expect(quoted(terraformConsole(expression, { ...DATA, 'ca.crt': PEM('MIIBca2') }))).not.toBe(digest);
  });

  it('without nonsensitive() the digest would stay sensitive, hiding every release value in the plan', () => {
    expect(terraformConsole('sha256(jsonencode(var.secret_data))', DATA)).toBe('(sensitive value)');
  });
});

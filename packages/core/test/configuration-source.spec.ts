import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSourceError, currentConfiguration, recordedConfiguration, staleSynthesisProblem, withRecordedConfiguration } from '../src/configuration-source';

const dir = mkdtempSync(join(tmpdir(), 'configuration-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('currentConfiguration', () => {
  it('is the defaults without a file, else the file named by CRDB_ORY_CONFIG or crdb-ory.config.json, with the SHA-256 of its bytes', () => {
    expect(currentConfiguration({}, dir)).toEqual({ source: 'the defaults (no CRDB_ORY_CONFIG, no crdb-ory.config.json)', sha256: null });
    writeFileSync(join(dir, 'crdb-ory.config.json'), '{}');
    expect(currentConfiguration({}, dir)).toEqual({ source: 'crdb-ory.config.json', sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' });
    writeFileSync(join(dir, 'prod.json'), '{}\n');
    expect(currentConfiguration({ CRDB_ORY_CONFIG: 'prod.json' }, dir).source).toBe('prod.json (named by CRDB_ORY_CONFIG)');
    expect(() => currentConfiguration({ CRDB_ORY_CONFIG: '' }, dir)).toThrow(ConfigSourceError);
    expect(() => currentConfiguration({ CRDB_ORY_CONFIG: 'missing.json' }, dir)).toThrow(/^CRDB_ORY_CONFIG: cannot be read \(ENOENT\)/);
  });
});

describe('staleSynthesisProblem', () => {
  const a = { source: 'a.json', sha256: 'a'.repeat(64) };
  const stack = withRecordedConfiguration({ resource: {}, '//': { metadata: { stackName: 'cockroach' } } }, a);

  it('keeps the stack\'s other metadata and reads the record back', () => {
    expect(stack['//']).toEqual({ metadata: { stackName: 'cockroach' }, configuration: a });
    expect(recordedConfiguration(stack)).toEqual(a);
    expect(recordedConfiguration({ '//': { configuration: { source: 'x' } } })).toBeUndefined();
  });

  it('accepts the same bytes under any name, refuses other bytes, the defaults and a stack without a record, in one line with the fix', () => {
    expect(staleSynthesisProblem('s/cdk.tf.json', stack, { source: 'b.json', sha256: a.sha256 })).toBeUndefined();
    expect(staleSynthesisProblem('s/cdk.tf.json', stack, { source: 'a.json', sha256: 'b'.repeat(64) })).toBe(
      's/cdk.tf.json was synthesized from a.json, sha256 aaaaaaaaaaaa, but the configuration now is a.json, sha256 bbbbbbbbbbbb: run `npm run synth` (with the configuration you mean), then this command again.',
    );
    expect(staleSynthesisProblem('s/cdk.tf.json', stack, { source: 'the defaults', sha256: null })).toMatch(/but the configuration now is the defaults: run `npm run synth`/);
    expect(staleSynthesisProblem('s/cdk.tf.json', { resource: {} }, a)).toMatch(/^s\/cdk\.tf\.json does not say which configuration it was synthesized from/);
  });
});

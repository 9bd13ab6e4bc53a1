import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSourceError, currentConfiguration, readSynthesisRecord, staleSynthesisProblem, writeSynthesisRecord } from '../src/configuration-source';

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
  const outdir = join(dir, 'cdktf.out');
  const stackDir = join(outdir, 'stacks', 'cockroach');
  mkdirSync(stackDir, { recursive: true });

  it('reads back the record the synthesis wrote next to its stacks', () => {
    writeSynthesisRecord(outdir, a);
    expect(readSynthesisRecord(outdir)).toEqual(a);
    writeFileSync(join(outdir, 'configuration.json'), '{"source": "x"}');
    expect(readSynthesisRecord(outdir)).toBeUndefined();
  });

  it('accepts the same bytes under any name, refuses other bytes, the defaults and an output without a record, in one line with the fix', () => {
    writeSynthesisRecord(outdir, a);
    expect(staleSynthesisProblem('cdktf.out/stacks/cockroach', { source: 'b.json', sha256: a.sha256 }, dir)).toBeUndefined();
    expect(staleSynthesisProblem('cdktf.out/stacks/cockroach', { source: 'a.json', sha256: 'b'.repeat(64) }, dir)).toBe(
      'cdktf.out/stacks/cockroach was synthesized from a.json, sha256 aaaaaaaaaaaa, but the configuration now is a.json, sha256 bbbbbbbbbbbb: run `npm run synth` (with the configuration you mean), then this command again.',
    );
    expect(staleSynthesisProblem(stackDir, { source: 'the defaults', sha256: null })).toMatch(/but the configuration now is the defaults: run `npm run synth`/);
    rmSync(join(outdir, 'configuration.json'));
    expect(staleSynthesisProblem('cdktf.out/stacks/cockroach', a, dir)).toMatch(/^cdktf\.out\/stacks\/cockroach has no record of the configuration it was synthesized from \(cdktf\.out\/configuration\.json: an older or foreign synthesis\)/);
  });
});

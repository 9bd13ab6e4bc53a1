import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ORY_REFERENCE_DIR,
  ORY_SERVICES,
  loadOryConfigValidators,
  oryApiSpecFile,
  oryChartPackage,
  oryPostgresSchemaFile,
  referenceDataMismatches,
  validationErrors,
} from '../src';

describe('Ory reference data', () => {
  it('is every file SHA256SUMS lists, unchanged, and nothing else', () => {
    expect(referenceDataMismatches()).toEqual([]);
  });

  it('notices a changed, a missing and an unlisted file', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'reference-data-')), 'ory');
    cpSync(ORY_REFERENCE_DIR, copy, { recursive: true });
    writeFileSync(join(copy, 'postgres-schemas-v26.2.0', 'keto.sql'), '-- changed\n');
    writeFileSync(join(copy, 'stray.json'), '{}');
    expect(referenceDataMismatches(copy)).toEqual(['postgres-schemas-v26.2.0/keto.sql: content differs from SHA256SUMS', 'stray.json: not listed in SHA256SUMS']);
  });

  it('names its source and licence next to the data', () => {
    const notice = readFileSync(join(ORY_REFERENCE_DIR, 'NOTICE.md'), 'utf8');
    expect(notice).toContain('Apache License 2.0, Copyright Ory Corp');
    expect(notice).toContain('v26.2.0');
    expect(notice).toContain('0.62.1');
  });

  it.each(ORY_SERVICES)('has the %s schema dump, API spec and chart package', (service) => {
    expect(oryPostgresSchemaFile(service)).toMatch(new RegExp(`${service}\\.sql$`));
    expect(oryApiSpecFile(service)).toMatch(new RegExp(`${service}\\.api\\.json$`));
    expect(oryChartPackage(service)).toMatch(new RegExp(`${service}-0\\.62\\.1\\.tgz$`));
  });

  it('has no chart package for a version it does not hold', () => {
    expect(oryChartPackage('hydra', '0.61.0')).toBeUndefined();
  });

  it("compiles Ory's config schemas, and they reject an unknown key", () => {
    const validators = loadOryConfigValidators();
    expect(validators.keto({ dsn: 'memory', serve: { read: { port: 4466 } } })).toBe(true);
    expect(validators.keto({ dsn: 'memory', serve: { reed: { port: 4466 } } })).toBe(false);
    expect(validationErrors(validators.keto)).toMatch(/additionalProperties/);
  });
});

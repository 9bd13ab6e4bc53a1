import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COCKROACH_REFERENCE_DIR, cockroachLinuxAmd64Sha256, cockroachMajorVersionRows, cockroachReleaseEntries, referenceDataMismatches } from '../src';

describe('CockroachDB release data', () => {
  it('is every file SHA256SUMS lists, unchanged, and nothing else', () => {
    expect(referenceDataMismatches(COCKROACH_REFERENCE_DIR)).toEqual([]);
  });

  it('names its sources and licences next to the data', () => {
    const notice = readFileSync(join(COCKROACH_REFERENCE_DIR, 'NOTICE.md'), 'utf8');
    expect(notice).toContain('CC BY 4.0');
    expect(notice).toContain('Apache License 2.0');
    expect(notice).toContain('79e9a5d03f4b01203131e71af49a6f2eaae9ff63');
  });

  it('reads the kinds of major versions as the docs site does: no Assistance Support means an Innovation release', () => {
    const kinds = Object.fromEntries(cockroachMajorVersionRows().map((row) => [row.major, row.kind]));
    expect(kinds).toMatchObject({ '24.1': 'regular', '24.2': 'innovation', '24.3': 'regular', '25.1': 'innovation', '25.4': 'regular', '26.1': 'innovation', '26.2': 'regular', '26.3': 'unreleased' });
    expect(cockroachMajorVersionRows().find((row) => row.major === '26.2')).toMatchObject({ releaseDate: '2026-04-27', previous: '26.1' });
  });

  it('reads every release with its major version, type and availability', () => {
    const byName = new Map(cockroachReleaseEntries().map((entry) => [entry.name, entry]));
    expect(byName.get('v26.2.1')).toMatchObject({ major: '26.2', type: 'Production', withdrawn: false, cloudOnly: false, hasSha256sum: true });
    expect(byName.get('v26.2.2')).toMatchObject({ cloudOnly: true });
    expect(byName.get('v26.3.0-alpha.1')).toMatchObject({ type: 'Testing' });
    expect([...byName.values()].some((entry) => entry.withdrawn)).toBe(true);
  });

  it('has the published SHA-256 of the linux-amd64 tarballs it lists, and nothing for others', () => {
    expect(cockroachLinuxAmd64Sha256('v25.4.0')).toBe('c07247f245426f6d94e2f901f848946fa50d179cd8409422608805475bc95c51');
    expect(cockroachLinuxAmd64Sha256('v26.2.1')).toMatch(/^[0-9a-f]{64}$/);
    expect(cockroachLinuxAmd64Sha256('v19.1.0')).toBeUndefined();
  });
});

import { cockroachLinuxAmd64Sha256, cockroachMajorVersionRows, cockroachReleaseEntries } from '@crdb-ory/reference-data';
import { describe, expect, it } from 'vitest';
import { COCKROACH_MAJOR_VERSIONS, DEFAULT_COCKROACH_SHA256, DEFAULT_COCKROACH_VERSION } from '../src';
import { allowedNextMajors } from '../src/ops/version-policy';

/** Cockroach Labs' release data (tools/reference-data/cockroachdb, see its NOTICE.md). */
const MAJORS = cockroachMajorVersionRows();
const RELEASES = cockroachReleaseEntries();
/** Releases a self-hosted cluster can download: production, not withdrawn, not CockroachDB Cloud only. */
const SELF_HOSTED = RELEASES.filter((r) => r.type === 'Production' && !r.withdrawn && !r.cloudOnly);
const patchOf = (name: string): number => Number(/^v\d+\.\d+\.(\d+)$/.exec(name)?.[1] ?? -1);

describe('the version table (cockroach-releases.json) against Cockroach Labs\' release data', () => {
  it('defaults to the newest released Regular major version', () => {
    const newestRegular = MAJORS.filter((m) => m.kind === 'regular').at(-1)!;
    expect(DEFAULT_COCKROACH_VERSION.startsWith(`v${newestRegular.major}.`)).toBe(true);
  });

  it('defaults to the latest self-hosted patch of that version (not a .0, not a withdrawn or Cloud-only one)', () => {
    const major = /^v(\d+\.\d+)\./.exec(DEFAULT_COCKROACH_VERSION)![1];
    const patches = SELF_HOSTED.filter((r) => r.major === major && patchOf(r.name) >= 0).sort((a, b) => patchOf(a.name) - patchOf(b.name));
    expect(DEFAULT_COCKROACH_VERSION).toBe(patches.at(-1)!.name);
    expect(RELEASES.find((r) => r.name === DEFAULT_COCKROACH_VERSION)?.hasSha256sum).toBe(true);
  });

  it('pins the SHA-256 Cockroach Labs publishes for its linux-amd64 tarball', () => {
    expect(DEFAULT_COCKROACH_SHA256).toBe(cockroachLinuxAmd64Sha256(DEFAULT_COCKROACH_VERSION));
  });

  it('lists every released major version from 24.1 on, in order, with the kind the release data gives it (what the roll\'s upgrade paths rest on)', () => {
    const released = MAJORS.filter((m) => m.kind !== 'unreleased' && Number(m.major) >= 24.1);
    expect(COCKROACH_MAJOR_VERSIONS).toEqual(released.map((m) => ({ major: m.major, kind: m.kind })));
  });

  it('each major version follows the one the release data names as its previous version', () => {
    const previous = Object.fromEntries(MAJORS.map((m) => [m.major, m.previous]));
    for (const [i, version] of COCKROACH_MAJOR_VERSIONS.entries()) {
      if (i > 0) expect(previous[version.major]).toBe(COCKROACH_MAJOR_VERSIONS[i - 1]!.major);
    }
  });

  it('lets the roll skip an Innovation release, never a Regular one', () => {
    expect(allowedNextMajors('25.4')).toEqual(['26.1', '26.2']);
    expect(allowedNextMajors('26.1')).toEqual(['26.2']);
    for (const [i, version] of COCKROACH_MAJOR_VERSIONS.entries()) {
      for (const next of allowedNextMajors(version.major)) {
        const skipped = COCKROACH_MAJOR_VERSIONS.slice(i + 1, COCKROACH_MAJOR_VERSIONS.findIndex((v) => v.major === next));
        expect(skipped.every((s) => s.kind === 'innovation')).toBe(true);
      }
    }
  });
});

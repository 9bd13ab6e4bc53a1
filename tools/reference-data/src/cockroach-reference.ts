import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The folder of Cockroach Labs' release data (`cockroachdb/` in this project), with `NOTICE.md` and `SHA256SUMS`. */
export const COCKROACH_REFERENCE_DIR = resolve(__dirname, '..', 'cockroachdb');

/**
 * How Cockroach Labs supports a major version (the docs' release support policy): a Regular
 * release has Maintenance and Assistance Support (and later LTS patches); an optional Innovation
 * release has Maintenance Support only and may be skipped by an upgrade; `unreleased` has no
 * release date yet.
 */
export type CockroachMajorKind = 'regular' | 'innovation' | 'unreleased';

/** One row of `versions.csv`. Dates are ISO dates; absent where the data says `N/A`. */
export interface CockroachMajorVersionRow {
  /** `26.2` (the data writes `v26.2`). */
  readonly major: string;
  readonly kind: CockroachMajorKind;
  readonly releaseDate?: string;
  readonly maintenanceSupportEnds?: string;
  readonly assistanceSupportEnds?: string;
  /** The major version before it (`26.1`). */
  readonly previous?: string;
}

/** One entry of `releases.yml`. */
export interface CockroachReleaseEntry {
  /** `v26.2.1`, `v26.3.0-alpha.1` */
  readonly name: string;
  /** `26.2` */
  readonly major: string;
  readonly releaseDate: string;
  /** `Production` or `Testing` (alpha, beta, rc). */
  readonly type: string;
  readonly withdrawn: boolean;
  /** Offered to CockroachDB Cloud clusters only: no self-hosted download. */
  readonly cloudOnly: boolean;
  /** A `<tarball>.sha256sum` is published next to each tarball. */
  readonly hasSha256sum: boolean;
}

function file(name: string): string {
  const path = join(COCKROACH_REFERENCE_DIR, name);
  if (!existsSync(path)) throw new Error(`CockroachDB reference data is missing: ${path} (see ${join(COCKROACH_REFERENCE_DIR, 'NOTICE.md')})`);
  return readFileSync(path, 'utf8');
}

const orNone = (value: string | undefined): string | undefined => (value === undefined || value === 'N/A' || value === '' ? undefined : value);
const withoutV = (version: string): string => version.replace(/^v/, '');

/**
 * `versions.csv`, oldest first, with each major version's kind decided as the docs site decides
 * it (`releases/release-support-policy.md`: "Releases with a release date and no assistance date
 * are skippable").
 */
export function cockroachMajorVersionRows(): CockroachMajorVersionRow[] {
  const [header, ...lines] = file('versions.csv').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell.trim()]));
    const releaseDate = orNone(cells['release_date']);
    const maintenanceSupportEnds = orNone(cells['maint_supp_exp_date']);
    const assistanceSupportEnds = orNone(cells['asst_supp_exp_date']);
    const kind: CockroachMajorKind = !releaseDate ? 'unreleased' : maintenanceSupportEnds && !assistanceSupportEnds ? 'innovation' : 'regular';
    const previous = orNone(cells['previous_version']);
    return { major: withoutV(cells['major_version']!), kind, releaseDate, maintenanceSupportEnds, assistanceSupportEnds, previous: previous && withoutV(previous) };
  });
}

/** `releases.yml`, in the file's order. */
export function cockroachReleaseEntries(): CockroachReleaseEntry[] {
  const entries = parse(file('releases.yml')) as Array<Record<string, unknown>>;
  return entries.map((entry) => ({
    name: String(entry['release_name']),
    major: withoutV(String(entry['major_version'])),
    releaseDate: String(entry['release_date']),
    type: String(entry['release_type']),
    withdrawn: entry['withdrawn'] === true,
    cloudOnly: entry['cloud_only'] === true,
    hasSha256sum: entry['has_sha256sum'] === true,
  }));
}

/** The published SHA-256 of `cockroach-<version>.linux-amd64.tgz`, when the data has it. */
export function cockroachLinuxAmd64Sha256(version: string): string | undefined {
  const line = file('linux-amd64.sha256sums')
    .split('\n')
    .map((l) => l.split(/\s+/))
    .find(([, name]) => name === `cockroach-${version}.linux-amd64.tgz`);
  return line?.[0];
}

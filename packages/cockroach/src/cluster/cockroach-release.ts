import type { PropProblem } from '@crdb-ory/core';
import releases from './cockroach-releases.json';

/**
 * Kind of a CockroachDB major version (Cockroach Labs' release support policy): a Regular release
 * is supported longer and may not be skipped; an optional Innovation release may be skipped by
 * an upgrade from the Regular release before it to the Regular release after it.
 */
export type ReleaseKind = 'regular' | 'innovation';

/** One major version of {@link COCKROACH_MAJOR_VERSIONS}. */
export interface CockroachMajorVersion {
  /** `26.2` */
  readonly major: string;
  readonly kind: ReleaseKind;
}

/**
 * The version table, a data file (`cockroach-releases.json`) a test holds to Cockroach Labs' own
 * release data (tools/reference-data/cockroachdb: `releases.yml`, `versions.csv` and the published
 * `.sha256sum` of each tarball):
 * - `default`: the latest self-hosted patch of the newest Regular release, with the SHA-256 of its
 *   linux-amd64 tarball. Keeping it current is a one-line change of that file.
 * - `majorVersions`: every major version the roll knows, oldest first, with its kind: the roll's
 *   upgrade policy (ops/version-policy.ts) reads the upgrade paths from it.
 */
const TABLE: {
  readonly reviewedOn: string;
  readonly default: { readonly version: string; readonly linuxAmd64Sha256: string };
  readonly majorVersions: readonly CockroachMajorVersion[];
} = releases as never;

/** The version a new deployment starts on (`cockroachVersion` default). */
export const DEFAULT_COCKROACH_VERSION: string = TABLE.default.version;
/** SHA-256 of `cockroach-<default>.linux-amd64.tgz`; boot.sh refuses a download that does not match. */
export const DEFAULT_COCKROACH_SHA256: string = TABLE.default.linuxAmd64Sha256;
/** The major versions the roll knows, oldest first. A version not listed is refused by the roll. */
export const COCKROACH_MAJOR_VERSIONS: readonly CockroachMajorVersion[] = TABLE.majorVersions;
/** The date of the release data the table was last checked against. */
export const COCKROACH_RELEASES_REVIEWED_ON: string = TABLE.reviewedOn;

const VERSION_PATTERN = /^v\d+\.\d+\.\d+$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function cockroachDownloadUrl(version: string): string {
  return `https://binaries.cockroachdb.com/cockroach-${version}.linux-amd64.tgz`;
}

/** The props of {@link cockroachReleaseProblems}, as `CockroachStack` names them. */
export const COCKROACH_RELEASE_PROPS = { version: 'cockroachVersion', sha256: 'cockroachSha256' } as const;

/** Problems unless the version is a release and the checksum a SHA-256 given for that version. */
export function cockroachReleaseProblems(version: string, sha256: string): PropProblem[] {
  const { version: versionProp, sha256: sha256Prop } = COCKROACH_RELEASE_PROPS;
  if (!VERSION_PATTERN.test(version)) return [{ prop: versionProp, value: version, message: `allowed is a CockroachDB release like ${DEFAULT_COCKROACH_VERSION}` }];
  if (!SHA256_PATTERN.test(sha256)) return [{ prop: sha256Prop, value: sha256, message: `allowed is 64 lowercase hex digits (the SHA-256 of cockroach-${version}.linux-amd64.tgz)` }];
  if (version !== DEFAULT_COCKROACH_VERSION && sha256 === DEFAULT_COCKROACH_SHA256) {
    return [{ prop: sha256Prop, value: sha256, message: `is the checksum of ${DEFAULT_COCKROACH_VERSION}, but ${versionProp} is ${version}: give the SHA-256 of cockroach-${version}.linux-amd64.tgz` }];
  }
  return [];
}

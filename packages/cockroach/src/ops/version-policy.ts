/**
 * CockroachDB's upgrade rules (https://www.cockroachlabs.com/docs/stable/upgrade-cockroach-version,
 * "Compatible versions", and the release table `_data/versions.csv` of the docs): since 2024
 * every second major version is an Innovation release, which may be skipped. From a Regular
 * release a cluster moves to the next major version or the one after it (the next Regular,
 * skipping the Innovation release); from an Innovation release only to the next (Regular)
 * major version. Patch releases of one major version roll freely, up or down.
 */
import { COCKROACH_MAJOR_VERSIONS, COCKROACH_RELEASES_REVIEWED_ON, CockroachMajorVersion, ReleaseKind } from '../cluster/cockroach-release';

export type { ReleaseKind };

/**
 * The major versions the roll knows, oldest first, with their kind: the version table
 * (cluster/cockroach-releases.json), checked against Cockroach Labs' release data
 * (`versions.csv`). A version not listed is refused with a message saying where to add it: the
 * roll never guesses whether a newer release may be skipped.
 */
export const MAJOR_VERSIONS: readonly CockroachMajorVersion[] = COCKROACH_MAJOR_VERSIONS;
export const MAJOR_VERSIONS_REVIEWED_ON = COCKROACH_RELEASES_REVIEWED_ON;

export interface ParsedVersion {
  /** `25.4` */
  readonly major: string;
  /** `v25.4.1` */
  readonly text: string;
}

/** `v25.4.1` (a release tag) or `25.4` / `25.4-upgrading-to-26.1-step-002` (a cluster version): the major version. */
export function majorOf(version: string): string | undefined {
  return /^v?(\d+\.\d+)(?:[.-]|$)/.exec(version.trim())?.[1];
}

/** A cluster version still finalizing (`25.4-upgrading-to-26.1-step-004`). */
export function isFinalizing(clusterVersion: string): boolean {
  return /upgrading/.test(clusterVersion);
}

export type UpgradeKind = 'same-major' | 'major-upgrade' | 'refused';

export interface UpgradeAssessment {
  readonly kind: UpgradeKind;
  /** Why an upgrade is refused, naming what is allowed instead. */
  readonly reason?: string;
}

function indexOf(major: string): number {
  return MAJOR_VERSIONS.findIndex((v) => v.major === major);
}

/** The major versions a cluster at `from` may move to directly. */
export function allowedNextMajors(from: string): string[] {
  const i = indexOf(from);
  if (i < 0) return [];
  const next = MAJOR_VERSIONS[i + 1];
  const afterNext = MAJOR_VERSIONS[i + 2];
  const allowed = next ? [next.major] : [];
  if (MAJOR_VERSIONS[i]!.kind === 'regular' && next?.kind === 'innovation' && afterNext) allowed.push(afterNext.major);
  return allowed;
}

/** Can a cluster whose (finalized) version is `clusterMajor` run binaries of `targetMajor`? */
export function assessUpgrade(clusterMajor: string, targetMajor: string): UpgradeAssessment {
  if (clusterMajor === targetMajor) return { kind: 'same-major' };
  const known = MAJOR_VERSIONS.map((v) => v.major);
  for (const major of [clusterMajor, targetMajor]) {
    if (indexOf(major) < 0) {
      return {
        kind: 'refused',
        reason: `v${major} is not in the roll's table of CockroachDB major versions (${known.join(', ')}; reviewed ${MAJOR_VERSIONS_REVIEWED_ON}): add it with its kind (regular or innovation) to majorVersions in packages/cockroach/src/cluster/cockroach-releases.json (its test checks it against Cockroach Labs' release data)`,
      };
    }
  }
  if (indexOf(targetMajor) < indexOf(clusterMajor)) {
    return {
      kind: 'refused',
      reason: `the cluster is finalized at v${clusterMajor}; a finalized major-version upgrade cannot be rolled back to v${targetMajor} (restore a backup into a cluster of that version instead)`,
    };
  }
  const allowed = allowedNextMajors(clusterMajor);
  if (!allowed.includes(targetMajor)) {
    const kind = MAJOR_VERSIONS[indexOf(clusterMajor)]!.kind;
    return {
      kind: 'refused',
      reason: `a cluster at v${clusterMajor} (${kind === 'regular' ? 'a Regular' : 'an Innovation'} release) can move only to ${allowed.map((m) => `v${m}`).join(' or ')}; upgrade one step at a time (one major version, or one Regular release to the next skipping an Innovation release)`,
    };
  }
  return { kind: 'major-upgrade' };
}

/**
 * The pinned CockroachDB release: v25.4, the LTS line Ory's own CI tests against (design
 * section 4). The SHA-256 is that of the release's linux-amd64 tarball; boot.sh refuses a
 * download that does not match. Change both together.
 */
export const DEFAULT_COCKROACH_VERSION = 'v25.4.0';
export const DEFAULT_COCKROACH_SHA256 = 'c07247f245426f6d94e2f901f848946fa50d179cd8409422608805475bc95c51';

const VERSION_PATTERN = /^v\d+\.\d+\.\d+$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function cockroachDownloadUrl(version: string): string {
  return `https://binaries.cockroachdb.com/cockroach-${version}.linux-amd64.tgz`;
}

/** Throws unless the version is a release and the checksum a SHA-256 given for that version. */
export function validateCockroachRelease(version: string, sha256: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw new Error(`Invalid cockroachVersion "${version}": allowed is a CockroachDB release like v25.4.0.`);
  }
  if (!SHA256_PATTERN.test(sha256)) {
    throw new Error(`Invalid cockroachSha256 "${sha256}": allowed is 64 lowercase hex digits (the SHA-256 of cockroach-${version}.linux-amd64.tgz).`);
  }
  if (version !== DEFAULT_COCKROACH_VERSION && sha256 === DEFAULT_COCKROACH_SHA256) {
    throw new Error(`cockroachSha256 is the checksum of ${DEFAULT_COCKROACH_VERSION}, but cockroachVersion is ${version}: give the SHA-256 of cockroach-${version}.linux-amd64.tgz.`);
  }
}

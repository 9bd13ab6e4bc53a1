import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageManifest, WorkspacePackage } from './package-manifest';

/** Folder that holds the publishable construct packages; every non-private package in it is published. */
export const PUBLISHABLE_PACKAGES_DIR = 'packages';

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

/** Every package under `packages/` that is not private, sorted by name. */
export function listPublishablePackages(workspaceRoot: string): WorkspacePackage[] {
  const parent = join(workspaceRoot, PUBLISHABLE_PACKAGES_DIR);
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
    .map((entry) => {
      const relativeDir = `${PUBLISHABLE_PACKAGES_DIR}/${entry.name}`;
      const dir = join(workspaceRoot, relativeDir);
      return { dir, relativeDir, manifest: readManifest(dir) };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

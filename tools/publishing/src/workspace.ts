import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageManifest, WorkspacePackage } from './package-manifest';

/** Folder that holds the publishable construct packages; every non-private package in it is published. */
export const PUBLISHABLE_PACKAGES_DIR = 'packages';

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

export function isPublishable(pkg: WorkspacePackage): boolean {
  return pkg.relativeDir.startsWith(`${PUBLISHABLE_PACKAGES_DIR}/`) && pkg.manifest.private !== true;
}

/** Every package under `packages/` that is not private, sorted by name. */
export function listPublishablePackages(workspaceRoot: string): WorkspacePackage[] {
  return listWorkspacePackages(workspaceRoot)
    .filter(isPublishable)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** Every package of the npm workspaces (`<dir>/*` patterns of the root package.json). */
export function listWorkspacePackages(workspaceRoot: string): WorkspacePackage[] {
  const patterns = (readManifest(workspaceRoot)['workspaces'] as string[] | undefined) ?? [];
  return patterns.flatMap((pattern) => {
    const parentDir = pattern.replace(/\/\*$/, '');
    const parent = join(workspaceRoot, parentDir);
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
      .map((entry) => {
        const relativeDir = `${parentDir}/${entry.name}`;
        const dir = join(workspaceRoot, relativeDir);
        return { dir, relativeDir, manifest: readManifest(dir) };
      });
  });
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateLinkProblems, withWorkspaceLinks } from './manifest-check';
import { PackageManifest, WorkspacePackage } from './package-manifest';
import { driftedFields, publishingFields, withPublishingFields } from './publishing-fields';
import { isPublishable, listWorkspacePackages, readManifest } from './workspace';

export interface ManifestChange {
  readonly name: string;
  readonly fields: readonly string[];
}

/**
 * Brings every publishable package's publishing fields (license, repository, engines,
 * publishConfig, files) in line with the workspace root, and makes every private workspace
 * package take internal packages as `"*"`. With `write: false` it only reports.
 */
export function syncManifests(workspaceRoot: string, options: { readonly write: boolean }): ManifestChange[] {
  const root = readManifest(workspaceRoot);
  const changes: ManifestChange[] = [];
  for (const pkg of listWorkspacePackages(workspaceRoot)) {
    const change = pkg.manifest.private === true ? privateChange(pkg) : publishableChange(pkg, root);
    if (!change) continue;
    changes.push({ name: pkg.manifest.name, fields: change.fields });
    if (options.write) writeFileSync(join(pkg.dir, 'package.json'), `${JSON.stringify(change.manifest, null, 2)}\n`);
  }
  return changes;
}

interface PendingChange {
  readonly fields: string[];
  readonly manifest: PackageManifest;
}

function publishableChange(pkg: WorkspacePackage, root: PackageManifest): PendingChange | undefined {
  if (!isPublishable(pkg)) return undefined;
  const fields = publishingFields(root, pkg);
  const drifted = driftedFields(pkg.manifest, fields);
  return drifted.length > 0 ? { fields: drifted, manifest: withPublishingFields(pkg.manifest, fields) } : undefined;
}

function privateChange(pkg: WorkspacePackage): PendingChange | undefined {
  return privateLinkProblems(pkg).length > 0 ? { fields: ['internal dependencies -> "*"'], manifest: withWorkspaceLinks(pkg.manifest) } : undefined;
}

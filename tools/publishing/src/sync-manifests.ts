import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driftedFields, publishingFields, withPublishingFields } from './publishing-fields';
import { listPublishablePackages, readManifest } from './workspace';

export interface ManifestChange {
  readonly name: string;
  readonly fields: readonly string[];
}

/**
 * Brings every publishable package's publishing fields (license, repository, engines,
 * publishConfig, files) in line with the workspace root. With `write: false` it only reports.
 */
export function syncManifests(workspaceRoot: string, options: { readonly write: boolean }): ManifestChange[] {
  const root = readManifest(workspaceRoot);
  const changes: ManifestChange[] = [];
  for (const pkg of listPublishablePackages(workspaceRoot)) {
    const fields = publishingFields(root, pkg.relativeDir);
    const drifted = driftedFields(pkg.manifest, fields);
    if (drifted.length === 0) continue;
    changes.push({ name: pkg.manifest.name, fields: drifted });
    if (options.write) {
      writeFileSync(join(pkg.dir, 'package.json'), `${JSON.stringify(withPublishingFields(pkg.manifest, fields), null, 2)}\n`);
    }
  }
  return changes;
}

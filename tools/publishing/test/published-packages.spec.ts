import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPackage, listPublishablePackages, listWorkspacePackages, privateLinkProblems, readManifest, syncManifests } from '../src';

// The real packages as `npm pack` ships them. The test target builds every package first.
const workspaceRoot = join(__dirname, '..', '..', '..');
const rootManifest = readManifest(workspaceRoot);
const publishable = listPublishablePackages(workspaceRoot);

describe('publishable packages', () => {
  it('are every non-private package under packages/, including the core foundation', () => {
    expect(publishable.map((pkg) => pkg.manifest.name)).toContain('@crdb-ory/core');
    expect(publishable.every((pkg) => pkg.relativeDir.startsWith('packages/'))).toBe(true);
  });

  it('have publishing fields in line with the root (npm run publishing:sync-manifests)', () => {
    expect(syncManifests(workspaceRoot, { write: false })).toEqual([]);
  });

  it.each(publishable.map((pkg) => [pkg.manifest.name, pkg] as const))('%s packs only what a consumer needs', (_name, pkg) => {
    const report = checkPackage(pkg, rootManifest, publishable);
    expect(report.problems).toEqual([]);
    expect(report.files).toContain('package.json');
    expect(report.files).toContain('dist/index.js');
    expect(report.files).toContain('dist/index.d.ts');
    for (const note of [...report.pending, ...report.warnings]) console.warn(`${pkg.manifest.name}: ${note}`);
  });

  it('are taken as "*" by the private workspace packages (app, tools), so a release never strands them', () => {
    expect(listWorkspacePackages(workspaceRoot).flatMap(privateLinkProblems)).toEqual([]);
  });
});

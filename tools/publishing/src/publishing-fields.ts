import { isDeepStrictEqual } from 'node:util';
import { PackageManifest, binEntries, normalizePackagePath } from './package-manifest';

/**
 * What every published package ships: compiled JavaScript and declarations, and the TypeScript
 * sources their declaration maps point at (so "go to definition" in a consumer's editor lands
 * in real code, and the monorepo-only `@crdb-ory/source` export condition resolves to a file
 * that exists instead of dangling). Never tests, snapshots, fixtures or build info.
 */
export const PUBLISHED_FILES: readonly string[] = ['dist', 'src', 'README.md'];
export const EXCLUDED_FILES: readonly string[] = [
  '!dist/**/*.tsbuildinfo',
  '!**/*.spec.*',
  '!**/*.test.*',
  '!**/__snapshots__/**',
  '!**/__fixtures__/**',
];

/** `files` for a package: the shared list plus the folders of bins that live outside dist/ (a committed launcher). */
export function publishedFiles(manifest: PackageManifest): string[] {
  const binRoots = Object.values(binEntries(manifest))
    .map((target) => normalizePackagePath(target).split('/')[0] ?? '')
    .filter((root) => root !== '' && !PUBLISHED_FILES.includes(root));
  return [...PUBLISHED_FILES, ...new Set(binRoots), ...EXCLUDED_FILES];
}

/**
 * Published as restricted by default: a scoped package that reaches the public npm registry by
 * mistake stays private there. Internal registries (Verdaccio, Artifactory, GitHub Packages)
 * ignore it. The registry itself comes from `.npmrc` or `--registry`, never from here.
 */
export const PUBLISH_CONFIG: Readonly<Record<string, unknown>> = { access: 'restricted' };

/** The manifest fields a publishable package takes from the workspace root, so they never drift apart. */
export function publishingFields(root: PackageManifest, pkg: { readonly relativeDir: string; readonly manifest: PackageManifest }): Partial<PackageManifest> {
  if (!root.repository || typeof root.repository === 'string') {
    throw new Error('The root package.json needs "repository": {"type": "git", "url": "<git URL>"} to publish packages.');
  }
  return {
    license: root.license,
    repository: { type: root.repository.type, url: root.repository.url, directory: pkg.relativeDir },
    engines: root.engines,
    publishConfig: PUBLISH_CONFIG,
    files: publishedFiles(pkg.manifest),
  };
}

/** `manifest` with the publishing fields applied; existing keys keep their place, new ones go last. */
export function withPublishingFields(manifest: PackageManifest, fields: Partial<PackageManifest>): PackageManifest {
  return { ...manifest, ...fields };
}

/** Names of the publishing fields whose value in `manifest` differs from `fields`. */
export function driftedFields(manifest: PackageManifest, fields: Partial<PackageManifest>): string[] {
  return Object.entries(fields)
    .filter(([key, value]) => !isDeepStrictEqual(manifest[key], value))
    .map(([key]) => key);
}

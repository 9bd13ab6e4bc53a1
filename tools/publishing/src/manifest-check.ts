import { satisfies } from 'semver';
import { ENGINE_PACKAGE, ENGINES, engineLabel } from '@crdb-ory/engines';
import { PackageManifest, WorkspacePackage } from './package-manifest';
import { driftedFields, publishingFields } from './publishing-fields';

export const PACKAGE_SCOPE = '@crdb-ory/';

/**
 * Problems with a publishable package's manifest: publishing fields that drifted from the
 * workspace root, an incomplete entry point, and internal dependencies that a consumer could
 * not install (private, or at another version than the one published alongside).
 */
export function findManifestProblems(pkg: WorkspacePackage, root: PackageManifest, publishable: readonly WorkspacePackage[]): string[] {
  return [
    ...driftProblems(pkg, root),
    ...entryPointProblems(pkg.manifest),
    ...internalDependencyProblems(pkg.manifest, publishable),
    ...enginePeerProblems(pkg.manifest),
  ];
}

/** The peer range on the engine that accepts every supported engine: `^0.21.0 || ^0.24.0`. */
export const ENGINE_PEER_RANGE = ENGINES.map((engine) => `^${engine.version}`).join(' || ');

/**
 * A package that takes the engine as a peer must accept every supported engine: each is
 * installed under the name `cdktf` (cdktn as `npm:cdktn@...`), so npm checks this range against it.
 */
export function enginePeerProblems(manifest: PackageManifest): string[] {
  const range = manifest.peerDependencies?.[ENGINE_PACKAGE];
  if (range === undefined) return [];
  return ENGINES.filter((engine) => !satisfies(engine.version, range)).map(
    (engine) => `peers on ${ENGINE_PACKAGE} "${range}", which refuses ${engineLabel(engine)} (a supported engine, installed as ${ENGINE_PACKAGE}): use "${ENGINE_PEER_RANGE}"`,
  );
}

function driftProblems(pkg: WorkspacePackage, root: PackageManifest): string[] {
  return driftedFields(pkg.manifest, publishingFields(root, pkg)).map(
    (field) => `"${field}" differs from what publishing needs: run \`npm run publishing:sync-manifests\``,
  );
}

function entryPointProblems(manifest: PackageManifest): string[] {
  const problems: string[] = [];
  if (!manifest.main) problems.push('has no "main" (CommonJS consumers without exports support need it)');
  if (!manifest.types) problems.push('has no "types"');
  const root = rootExport(manifest.exports);
  if (!root) {
    problems.push('has no "exports" entry for "."');
  } else {
    for (const condition of ['types', 'default']) {
      if (typeof root[condition] !== 'string') problems.push(`exports["."] has no "${condition}" condition`);
    }
    const keys = Object.keys(root);
    if (keys.indexOf('types') > keys.indexOf('default')) problems.push('exports["."] lists "default" before "types" (TypeScript would never see the types)');
  }
  return problems;
}

function rootExport(exports: unknown): Record<string, unknown> | undefined {
  if (!exports || typeof exports !== 'object') return undefined;
  const root = (exports as Record<string, unknown>)['.'];
  return root && typeof root === 'object' ? (root as Record<string, unknown>) : undefined;
}

function internalDependencyProblems(manifest: PackageManifest, publishable: readonly WorkspacePackage[]): string[] {
  const versions = new Map(publishable.map((pkg) => [pkg.manifest.name, pkg.manifest.version]));
  const problems: string[] = [];
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!name.startsWith(PACKAGE_SCOPE)) continue;
    const version = versions.get(name);
    if (!version) problems.push(`depends on ${name}, which is not a publishable package`);
    else if (range !== version) problems.push(`depends on ${name}@${range}; it must be the exact version released with it, ${version}`);
  }
  for (const field of ['peerDependencies', 'devDependencies'] as const) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (name.startsWith(PACKAGE_SCOPE)) problems.push(`lists ${name} in ${field}; internal packages belong in "dependencies"`);
    }
  }
  return problems;
}

/**
 * A private workspace package (the app, the tools) must take internal packages as `"*"`: it
 * always uses the workspace copy, and `nx release` (which only versions the published
 * packages) cannot leave it pinned to a version that no longer exists in the workspace.
 * `npm run publishing:sync-manifests` fixes it.
 */
export function privateLinkProblems(pkg: WorkspacePackage): string[] {
  if (pkg.manifest.private !== true) return [];
  return (['dependencies', 'devDependencies'] as const).flatMap((field) =>
    Object.entries(pkg.manifest[field] ?? {})
      .filter(([name, range]) => name.startsWith(PACKAGE_SCOPE) && range !== '*')
      .map(([name, range]) => `${pkg.relativeDir} (private) takes ${name}@${range} in ${field}; use "*" (the workspace copy): run \`npm run publishing:sync-manifests\``),
  );
}

/** `manifest` with every internal dependency of a private package set to `"*"`. */
export function withWorkspaceLinks(manifest: PackageManifest): PackageManifest {
  const linked = (deps: Readonly<Record<string, string>> | undefined) =>
    deps && Object.fromEntries(Object.entries(deps).map(([name, range]) => [name, name.startsWith(PACKAGE_SCOPE) ? '*' : range]));
  return {
    ...manifest,
    ...(manifest.dependencies ? { dependencies: linked(manifest.dependencies) } : {}),
    ...(manifest.devDependencies ? { devDependencies: linked(manifest.devDependencies) } : {}),
  };
}

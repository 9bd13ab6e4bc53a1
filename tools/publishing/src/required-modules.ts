import { builtinModules } from 'node:module';
import { PackageManifest } from './package-manifest';
import { PackedPackage } from './packed-files';

/**
 * Packages that must exist once per consumer app: two copies of `constructs` or `cdktf` break
 * construct trees (`instanceof Construct`) and synthesis, and providers must match the app's.
 * They are peer dependencies, never dependencies.
 */
export function isSingletonPackage(name: string): boolean {
  return name === 'cdktf' || name === 'constructs' || name.startsWith('@cdktf/provider-');
}

const REQUIRE_CALL = /\brequire\(\s*["']([^"']+)["']\s*\)/g;
const BUILTINS = new Set(builtinModules);

/** `@scope/name/lib/x` -> `@scope/name`; `name/x` -> `name`; undefined for relative paths and node builtins. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return name && !BUILTINS.has(name) ? name : undefined;
}

/** Packages the shipped JavaScript loads with `require`. */
export function requiredPackages(pkg: PackedPackage): Set<string> {
  const names = new Set<string>();
  for (const file of pkg.files.filter((f) => /\.c?js$/.test(f))) {
    for (const match of pkg.readText(file).matchAll(REQUIRE_CALL)) {
      const name = packageNameOf(match[1] ?? '');
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * A package loaded by the shipped code but not declared installs in the monorepo (hoisted
 * node_modules) and breaks for every consumer; a singleton declared as a dependency installs a
 * second copy.
 */
export function dependencyProblems(manifest: PackageManifest, pkg: PackedPackage): string[] {
  const dependencies = manifest.dependencies ?? {};
  const peers = manifest.peerDependencies ?? {};
  const problems: string[] = [];
  for (const name of [...requiredPackages(pkg)].sort()) {
    if (name === manifest.name) continue;
    if (isSingletonPackage(name)) {
      if (!(name in peers)) problems.push(`requires ${name} but does not list it in "peerDependencies"`);
    } else if (!(name in dependencies) && !(name in peers)) {
      problems.push(`requires ${name} but does not list it in "dependencies"`);
    }
  }
  for (const name of Object.keys(dependencies).filter(isSingletonPackage)) {
    problems.push(`lists ${name} in "dependencies"; it must be a peer dependency (one copy per app)`);
  }
  return problems;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A command the repository gives its users: a package's `bin` or a root npm script. */
export interface ShippedExecutable {
  /** `bin:<command>` or `script:<name>`. */
  readonly id: string;
  readonly kind: 'bin' | 'script';
  readonly name: string;
  /** The package.json declaring it, relative to the root. */
  readonly declaredIn: string;
}

interface Manifest {
  readonly name?: string;
  readonly bin?: string | Record<string, string>;
  readonly scripts?: Record<string, string>;
  readonly workspaces?: string[];
}

const readManifest = (root: string, path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Manifest;

/** The package.json of every workspace package (`workspaces` of the root package.json), relative to the root. */
export function workspaceManifests(root: string): string[] {
  return (readManifest(root, 'package.json').workspaces ?? [])
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const group = pattern.slice(0, -2);
      return existsSync(join(root, group)) ? readdirSync(join(root, group)).sort().map((name) => `${group}/${name}`) : [];
    })
    .map((dir) => `${dir}/package.json`)
    .filter((path) => existsSync(join(root, path)));
}

/** Every `bin` entry of every workspace package, then every npm script of the root package.json. */
export function shippedExecutables(root: string): ShippedExecutable[] {
  const bins = workspaceManifests(root).flatMap((path) => {
    const manifest = readManifest(root, path);
    const bin = typeof manifest.bin === 'string' ? { [(manifest.name ?? '').replace(/^@[^/]+\//, '')]: manifest.bin } : (manifest.bin ?? {});
    return Object.keys(bin).map((name): ShippedExecutable => ({ id: `bin:${name}`, kind: 'bin', name, declaredIn: path }));
  });
  const scripts = Object.keys(readManifest(root, 'package.json').scripts ?? {}).map((name): ShippedExecutable => ({ id: `script:${name}`, kind: 'script', name, declaredIn: 'package.json' }));
  return [...bins, ...scripts];
}

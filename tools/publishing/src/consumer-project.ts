import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENGINE_OVERRIDES, ENGINE_PACKAGE, Engine, engineOfSpec, engineSpec } from '@crdb-ory/engines';
import { PackageManifest, WorkspacePackage } from './package-manifest';

/** The consumer app: one file, easy to extend as the construct packages grow. */
export const CONSUMER_APP_FIXTURE = join(__dirname, '..', 'fixtures', 'consumer-app', 'main.ts');

export interface ConsumerProjectOptions {
  readonly registryUrl: string;
  /** Our packages, installed at exactly the versions just published. */
  readonly packages: readonly WorkspacePackage[];
  /** The workspace root's manifest: the versions we test with pin the peers. */
  readonly rootManifest: PackageManifest;
  /** The CDK engine the consumer installs (as `cdktf`); by default the workspace's. */
  readonly engine?: Engine;
}

/** The engine a consumer gets: the one asked for, else the one the workspace root installs. */
export function consumerEngine(options: Pick<ConsumerProjectOptions, 'engine' | 'rootManifest'>): Engine {
  return options.engine ?? engineOfSpec(options.rootManifest.dependencies?.[ENGINE_PACKAGE]);
}

/**
 * Peer dependencies of every published package, each pinned to the version the monorepo
 * tests with (so npm's peer resolution fails if a published range excludes it).
 */
export function pinnedPeers(packages: readonly WorkspacePackage[], root: PackageManifest): Record<string, string> {
  const pinned: Record<string, string> = {};
  const rootVersions = { ...root.devDependencies, ...root.dependencies };
  for (const pkg of packages) {
    for (const [name, range] of Object.entries(pkg.manifest.peerDependencies ?? {})) {
      pinned[name] = rootVersions[name] ?? range;
    }
  }
  return pinned;
}

/**
 * The manifest of a fresh project that consumes the packages the way a platform team would
 * (docs/engines.md): on cdktf, the peers as they are; on CDK Terrain, the engine installed as
 * `cdktf` (`npm:cdktn@...`) with the override that keeps the provider bindings on it.
 */
export function consumerManifest(options: ConsumerProjectOptions): PackageManifest {
  const rootVersions = { ...options.rootManifest.devDependencies, ...options.rootManifest.dependencies };
  const ours = Object.fromEntries(options.packages.map((pkg) => [pkg.manifest.name, pkg.manifest.version]));
  const engine = consumerEngine(options);
  const aliased = engine.name !== ENGINE_PACKAGE;
  return {
    name: 'crdb-ory-consumer',
    version: '0.0.0',
    private: true,
    dependencies: sortKeys({ ...pinnedPeers(options.packages, options.rootManifest), [ENGINE_PACKAGE]: engineSpec(engine), ...ours }),
    devDependencies: { typescript: requiredVersion(rootVersions, 'typescript'), '@types/node': requiredVersion(rootVersions, '@types/node') },
    ...(aliased ? { overrides: { ...ENGINE_OVERRIDES } } : {}),
  };
}

function requiredVersion(versions: Readonly<Record<string, string>>, name: string): string {
  const version = versions[name];
  if (!version) throw new Error(`The root package.json pins no version of ${name}; the consumer project needs one.`);
  return version;
}

/** `.npmrc` that sends every install, our scope included, to the local registry and nowhere else. */
export function consumerNpmrc(registryUrl: string, scope: string): string {
  return [`registry=${registryUrl}`, `${scope}:registry=${registryUrl}`, 'audit=false', 'fund=false', ''].join('\n');
}

export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    outDir: 'dist',
    rootDir: 'src',
    types: ['node'],
    // Our declarations, and the cdktf ones they build on, must compile in a strict consumer.
    skipLibCheck: false,
  },
  include: ['src/**/*.ts'],
};

/** Writes the project into `dir` (an empty folder outside the monorepo). */
export function writeConsumerProject(dir: string, options: ConsumerProjectOptions): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(consumerManifest(options), null, 2)}\n`);
  writeFileSync(join(dir, '.npmrc'), consumerNpmrc(options.registryUrl, '@crdb-ory'));
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(CONSUMER_TSCONFIG, null, 2)}\n`);
  copyFileSync(CONSUMER_APP_FIXTURE, join(dir, 'src', 'main.ts'));
}

/** Lock file entries of our scope that did not come from `registryUrl` (links, other registries). */
export function foreignInstalls(lockFile: string, registryUrl: string, scope: string): string[] {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, { resolved?: string; link?: boolean }> };
  return Object.entries(lock.packages ?? {})
    .filter(([path]) => path.includes(`node_modules/${scope}/`))
    .filter(([, entry]) => entry.link === true || !entry.resolved?.startsWith(registryUrl))
    .map(([path, entry]) => `${path} resolved from ${entry.link ? 'a link' : (entry.resolved ?? 'nowhere')}`);
}

/**
 * Packages installed at more than one path of a lock file, among those `isSingleton` names
 * (the engine, constructs, the provider bindings): each extra path is a second copy, which
 * breaks construct trees. `node_modules/cdktf` counts as cdktf whatever it aliases.
 */
export function duplicateInstalls(lockFile: string, isSingleton: (name: string) => boolean): string[] {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, unknown> };
  const paths = new Map<string, string[]>();
  for (const path of Object.keys(lock.packages ?? {})) {
    const at = path.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const name = path.slice(at + 'node_modules/'.length);
    if (isSingleton(name)) paths.set(name, [...(paths.get(name) ?? []), path]);
  }
  return [...paths].filter(([, found]) => found.length > 1).map(([name, found]) => `${name} is installed ${found.length} times: ${found.join(', ')}`);
}

/** Every file under `dir`, as package-relative POSIX paths. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { satisfies } from 'semver';
import { runSync } from '@crdb-ory/workspace';
import { ENGINE_PACKAGE, Engine, engineLabel, engineSpec } from './engines';

/** The folders whose projects the scratch copy holds (the npm workspaces). */
export const PROJECT_ROOTS: readonly string[] = ['packages', 'apps', 'tools'];
/**
 * Root files the projects' configurations extend or import, and `docs/`, which specs read to hold
 * a documented table to the code (network's address plan, the app's cost and figures).
 */
export const ROOT_FILES: readonly string[] = ['tsconfig.base.json', 'tsconfig.json', 'vitest.shared.mts', 'vitest.global-setup.mts', 'cdktf.json', 'docs'];

/**
 * The files of the workspace's projects, relative to its root, as Nx sees them: what git
 * tracks or would track (untracked files included, ignored ones not), minus what `.nxignore`
 * hides from Nx. These are the engine test's cache inputs; nothing else is copied.
 */
export function workspaceFiles(workspaceRoot: string): string[] {
  const { stdout } = runSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...PROJECT_ROOTS, ...ROOT_FILES], { cwd: workspaceRoot });
  const hidden = nxIgnoredPrefixes(workspaceRoot);
  const files = stdout
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(workspaceRoot, file)))
    .filter((file) => !hidden.some((prefix) => file === prefix || file.startsWith(`${prefix}/`)));
  return [...new Set(files)].sort();
}

/** `.nxignore` lines as path prefixes; a pattern this does not understand is an error, not a guess. */
export function nxIgnoredPrefixes(workspaceRoot: string): string[] {
  const file = join(workspaceRoot, '.nxignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      if (/[*?[\]!]/.test(line)) throw new Error(`.nxignore line "${line}": the engine test reads plain folder or file paths only.`);
      return line.replace(/^\/+|\/+$/g, '');
    });
}

export interface ScratchOptions {
  readonly workspaceRoot: string;
  /** An empty folder inside the workspace (so that every package but the engine's dependents resolves from the workspace's node_modules). */
  readonly dir: string;
  readonly engine: Engine;
  readonly log: (line: string) => void;
  /** Installs `spec` as `cdktf` into `dir`/node_modules; by default with npm. */
  readonly install?: (dir: string, spec: string) => void;
}

export interface ScratchWorkspace {
  readonly dir: string;
  readonly engine: Engine;
  /** Project folders, relative to the root (packages/core...). */
  readonly projects: readonly string[];
  /** Installed packages re-linked against the engine (the providers...). */
  readonly relinked: readonly string[];
}

/**
 * A copy of the workspace's projects that runs on `engine`, reusing the workspace's installed
 * tree: its node_modules holds only the engine (installed as `cdktf`), hard-linked copies of the
 * installed packages that depend on it (so that they resolve the engine next to them, not the
 * workspace's) and the workspace links; everything else resolves from the workspace's
 * node_modules above it. Checked before use: one copy of the engine and of `constructs`.
 */
export function createScratchWorkspace(options: ScratchOptions): ScratchWorkspace {
  const { workspaceRoot, dir, engine } = options;
  const inside = relative(workspaceRoot, dir);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`The scratch folder ${dir} must be inside the workspace ${workspaceRoot}.`);
  for (const file of workspaceFiles(workspaceRoot)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(workspaceRoot, file), join(dir, file));
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'crdb-ory-engine-scratch', private: true, dependencies: { [ENGINE_PACKAGE]: engineSpec(engine) } }, null, 2)}\n`);
  (options.install ?? npmInstall)(dir, engineSpec(engine));
  const relinked = dependentsOfEngine(join(workspaceRoot, 'node_modules'));
  for (const name of relinked) hardLinkTree(join(workspaceRoot, 'node_modules', name), join(dir, 'node_modules', name));
  const projects = mirrorWorkspaceLinks(workspaceRoot, dir);
  for (const project of projects) linkNestedModules(join(workspaceRoot, project), join(dir, project));
  const scratch = { dir, engine, projects, relinked };
  checkOneCopy(scratch, join(workspaceRoot, 'node_modules'));
  return scratch;
}

/**
 * Installs the engine alone, nested (its own dependencies inside its folder), without peers
 * (constructs comes from the workspace) and without touching a lock file.
 */
function npmInstall(dir: string): void {
  runSync('npm', ['install', '--install-strategy=nested', '--legacy-peer-deps', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--workspaces=false'], {
    cwd: dir,
    timeoutSeconds: 300,
  });
}

interface Manifest {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

function readJson(file: string): Manifest & Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest & Record<string, unknown>;
}

/** Top-level installed packages (real folders, not workspace links), by name. */
function installedPackages(nodeModules: string): Map<string, Manifest> {
  const found = new Map<string, Manifest>();
  const add = (name: string, path: string) => {
    if (lstatSync(path).isDirectory() && existsSync(join(path, 'package.json'))) found.set(name, readJson(join(path, 'package.json')));
  };
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(nodeModules, entry))) add(`${entry}/${scoped}`, join(nodeModules, entry, scoped));
    } else {
      add(entry, join(nodeModules, entry));
    }
  }
  return found;
}

/** The installed packages that load the engine, directly or through another such package. */
export function dependentsOfEngine(nodeModules: string): string[] {
  const packages = installedPackages(nodeModules);
  const dependents = new Set<string>();
  const needsEngine = (manifest: Manifest) =>
    [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies].some((deps) => Object.keys(deps ?? {}).some((name) => name === ENGINE_PACKAGE || dependents.has(name)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, manifest] of packages) {
      if (name === ENGINE_PACKAGE || dependents.has(name) || !needsEngine(manifest)) continue;
      dependents.add(name);
      grew = true;
    }
  }
  return [...dependents].sort();
}

/** Hard links every file of `from` into `to` (a copy where the file system refuses a link); symbolic links are kept. */
function hardLinkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) hardLinkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/**
 * Re-creates the workspace links of node_modules (`@crdb-ory/core -> ../../packages/core`)
 * in the scratch copy, pointing at the copied projects; returns those projects.
 */
function mirrorWorkspaceLinks(workspaceRoot: string, dir: string): string[] {
  const nodeModules = join(workspaceRoot, 'node_modules');
  const projects: string[] = [];
  const mirror = (name: string) => {
    const link = join(nodeModules, name);
    if (!lstatSync(link).isSymbolicLink()) return;
    const project = relative(workspaceRoot, resolve(dirname(link), readlinkSync(link)));
    if (project.startsWith('..') || isAbsolute(project) || !existsSync(join(dir, project, 'package.json'))) {
      throw new Error(`node_modules/${name} links to ${project}, which the scratch copy does not hold.`);
    }
    const target = join(dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(relative(dirname(target), join(dir, project)), target);
    projects.push(project.split(sep).join('/'));
  };
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) readdirSync(join(nodeModules, entry)).forEach((scoped) => mirror(`${entry}/${scoped}`));
    else mirror(entry);
  }
  return projects.sort();
}

/** A project's own node_modules (a package at another version than the hoisted one), linked into its copy. */
function linkNestedModules(project: string, copy: string): void {
  const nested = join(project, 'node_modules');
  if (!existsSync(nested)) return;
  for (const entry of readdirSync(nested)) {
    if (entry.startsWith('.')) continue;
    mkdirSync(join(copy, 'node_modules'), { recursive: true });
    symlinkSync(join(nested, entry), join(copy, 'node_modules', entry));
  }
}

/** Where `request` resolves from `fromDir` (the node_modules lookup Node does from there). */
function resolvedFrom(request: string, fromDir: string): string {
  return require.resolve(`${request}/package.json`, { paths: [fromDir] });
}

/**
 * One engine and one `constructs` for everything that shares construct trees: every project,
 * the engine itself and every re-linked package that takes them as peers. A second copy breaks
 * synthesis (`instanceof` fails across copies); a `constructs` outside the engine's own peer
 * range is what npm would refuse to install.
 */
export function checkOneCopy(scratch: ScratchWorkspace, workspaceModules: string): void {
  const engineManifest = join(scratch.dir, 'node_modules', ENGINE_PACKAGE, 'package.json');
  const installed = readJson(engineManifest);
  if (installed.name !== scratch.engine.name || installed.version !== scratch.engine.version) {
    throw new Error(`The scratch copy's ${ENGINE_PACKAGE} is ${installed.name} ${installed.version}, not ${engineLabel(scratch.engine)}.`);
  }
  const constructsManifest = resolvedFrom('constructs', dirname(engineManifest));
  const problems: string[] = [];
  const expect = (request: string, fromDir: string, wanted: string) => {
    const found = resolvedFrom(request, fromDir);
    if (found !== wanted) problems.push(`${relative(scratch.dir, fromDir) || '.'} loads ${request} from ${found}, not ${wanted}`);
  };
  for (const project of scratch.projects) {
    expect(ENGINE_PACKAGE, join(scratch.dir, project), engineManifest);
    expect('constructs', join(scratch.dir, project), constructsManifest);
  }
  for (const name of scratch.relinked) {
    const dir = join(scratch.dir, 'node_modules', name);
    const manifest = readJson(join(dir, 'package.json'));
    expect(ENGINE_PACKAGE, dir, engineManifest);
    if (manifest.peerDependencies?.['constructs']) expect('constructs', dir, constructsManifest);
  }
  const constructsVersion = readJson(constructsManifest).version ?? '';
  if (!satisfies(constructsVersion, scratch.engine.constructsRange)) {
    problems.push(`constructs ${constructsVersion} (from ${relative(dirname(workspaceModules), constructsManifest)}) is outside ${engineLabel(scratch.engine)}'s peer range ${scratch.engine.constructsRange}: npm would refuse to install the two together`);
  }
  if (problems.length > 0) throw new Error(`The scratch copy on ${engineLabel(scratch.engine)} would not hold one copy of each:\n  ${problems.join('\n  ')}`);
}

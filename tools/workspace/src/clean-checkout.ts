import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { workspaceManifests } from './shipped-executables';

/** A copy of a checkout as a fresh clone has it, with the installed dependencies linked in. */
export interface CleanCheckout {
  /** The copy's root folder. */
  readonly dir: string;
  /** Deletes the copy (never the checkout it came from, nor the dependencies it links to). */
  remove(): void;
}

/**
 * Copies what a fresh clone of `root` holds (the files git tracks, plus new files git does not
 * ignore, as they will be committed; never what `.gitignore` keeps out: `dist/`, `cdktf.out/`,
 * `.nx/`, caches) into a new folder, then links the dependencies `npm ci` installed in `root`
 * into it, so that commands run there exactly as right after `git clone && npm ci`, with no
 * build output:
 *
 * - every `node_modules` folder of `root` (the root's and each workspace package's) becomes a
 *   folder of the same name in the copy whose entries link to the installed packages;
 * - a link that points into the checkout itself (each workspace package under `@crdb-ory/`, and
 *   each `.bin` entry of a workspace package) points to the copy's file instead, so nothing
 *   resolves back into `root`, where a build may have left `dist/`;
 * - `node_modules/.cache` is not linked: the copy starts with no cache.
 *
 * The copy is a git repository with one commit of those files, as a clone is (`nx release`
 * reads the history; the offline review names the commit).
 */
export function cleanCheckout(root: string, parent = tmpdir()): CleanCheckout {
  const source = realpathSync(root);
  const dir = realpathSync(mkdtempSync(join(parent, 'clean-checkout-')));
  try {
    for (const file of committedFiles(source)) copyEntry(join(source, file), join(dir, file));
    for (const modules of nodeModulesFolders(source)) linkNodeModules(source, dir, modules);
    commitAll(dir, source);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The files a clone of `root` would hold after a commit: tracked and untracked-but-not-ignored, present on disk. */
export function committedFiles(root: string): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.error || listed.status !== 0) {
    throw new Error(`a clean checkout needs git and a git checkout at ${root} (git ls-files: ${listed.error?.message ?? listed.stderr.trim()})`);
  }
  // A file deleted in the working tree but not yet in the index is gone from the next commit too.
  return listed.stdout.split('\0').filter((file) => file !== '' && existsOrIsLink(join(root, file)));
}

function commitAll(dir: string, source: string): void {
  const git = (args: string[]) => {
    const run = spawnSync('git', ['-c', 'user.name=clean-checkout', '-c', 'user.email=clean-checkout@localhost', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args[0]} in the clean checkout failed: ${run.stderr.trim()}`);
  };
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-q', '--no-verify', '-m', `the working tree of ${source}`]);
}

function existsOrIsLink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function copyEntry(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
  else {
    copyFileSync(from, to);
    chmodSync(to, stat.mode & 0o777);
  }
}

/** `node_modules` of the root and of every workspace package (npm nests a package there when versions conflict). */
function nodeModulesFolders(root: string): string[] {
  const packages = workspaceManifests(root).map((manifest) => join(dirname(manifest), 'node_modules'));
  return ['node_modules', ...packages].filter((folder) => existsSync(join(root, folder)));
}

/** Mirrors `root/<folder>` into `copy/<folder>`: one link per installed package (per scoped package under `@scope/`). */
function linkNodeModules(root: string, copy: string, folder: string): void {
  const from = join(root, folder);
  const to = join(copy, folder);
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === '.cache') continue;
    const path = join(from, entry);
    const inScope = entry.startsWith('@') || entry === '.bin';
    if (inScope && lstatSync(path).isDirectory()) {
      mkdirSync(join(to, entry));
      for (const inner of readdirSync(path)) link(linkTarget(root, copy, join(path, inner)), join(to, entry, inner));
    } else {
      link(linkTarget(root, copy, path), join(to, entry));
    }
  }
}

function link(target: string | undefined, path: string): void {
  if (target !== undefined) symlinkSync(target, path);
}

/** Where a link in the copy points: the installed file, or the copy's own file for anything of the checkout outside node_modules. */
function linkTarget(root: string, copy: string, path: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined; // a dangling link in the installed tree: a fresh install would not have it either
  }
  const inside = relative(root, real);
  if (inside.startsWith('..') || inside.split(sep).includes('node_modules')) return real;
  return join(copy, inside);
}

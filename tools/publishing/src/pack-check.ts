import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSync } from '@crdb-ory/workspace';
import { binProblems, entryPointFileProblems } from './entry-points';
import { findManifestProblems } from './manifest-check';
import { PackageManifest, WorkspacePackage } from './package-manifest';
import { PackedPackage, forbiddenFileProblems, sourceMapProblems, staleBuildProblems } from './packed-files';
import { readmeInstallProblems } from './readme-install';
import { dependencyProblems } from './required-modules';

export interface PackReport {
  readonly name: string;
  readonly files: readonly string[];
  /** What makes the package unfit to publish. */
  readonly problems: readonly string[];
  /** Declared ahead of their implementation (a bin whose CLI is not written yet). */
  readonly pending: readonly string[];
  /** Not blocking yet, but a consumer would miss it (a package without a README). */
  readonly warnings: readonly string[];
}

/** The file list `npm pack` would put in the tarball, without writing one. */
export function listPackedFiles(dir: string): string[] {
  const { stdout } = runSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, timeoutSeconds: 120 });
  const [result] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  if (!result) throw new Error(`npm pack --dry-run in ${dir} printed no result.`);
  return result.files.map((file) => file.path).sort();
}

/** Every check of a package's tarball contents, given its file list. */
export function inspectPackedPackage(manifest: PackageManifest, pkg: PackedPackage): Omit<PackReport, 'name' | 'files'> {
  const bins = binProblems(manifest, pkg);
  return {
    problems: [
      ...forbiddenFileProblems(pkg.files),
      ...sourceMapProblems(pkg),
      ...staleBuildProblems(pkg.files),
      ...entryPointFileProblems(manifest, pkg),
      ...bins.problems,
      ...dependencyProblems(manifest, pkg),
    ],
    pending: bins.pending,
    warnings: pkg.files.includes('README.md') ? [] : ['has no README.md (its owner writes one with a usage example)'],
  };
}

/** Packs `pkg` (dry run) and checks the tarball and the manifest. Build the package first. */
export function checkPackage(pkg: WorkspacePackage, root: PackageManifest, publishable: readonly WorkspacePackage[]): PackReport {
  const files = listPackedFiles(pkg.dir);
  const packed: PackedPackage = { files, readText: (path) => readFileSync(join(pkg.dir, path), 'utf8') };
  const report = inspectPackedPackage(pkg.manifest, packed);
  return {
    name: pkg.manifest.name,
    files,
    ...report,
    problems: [...findManifestProblems(pkg, root, publishable), ...readmeInstallProblems(pkg.manifest, files.includes('README.md') ? packed.readText('README.md') : undefined, root), ...report.problems],
  };
}

import { PackageManifest, binEntries, normalizePackagePath } from './package-manifest';
import { PackedPackage, sourceOf } from './packed-files';

/** Every file path the manifest promises: main, types, each exports target and each bin. */
export function manifestTargets(manifest: PackageManifest): string[] {
  const targets = [manifest.main, manifest.types, ...exportTargets(manifest.exports)].filter((t): t is string => Boolean(t));
  return [...new Set(targets.map(normalizePackagePath))];
}

function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (!exports || typeof exports !== 'object') return [];
  return Object.values(exports as Record<string, unknown>).flatMap(exportTargets);
}

export function entryPointFileProblems(manifest: PackageManifest, pkg: PackedPackage): string[] {
  const shipped = new Set([...pkg.files, 'package.json']);
  return manifestTargets(manifest)
    .filter((target) => !shipped.has(target))
    .map((target) => `package.json points at ${target}, which is not in the package`);
}

export interface BinReport {
  readonly problems: string[];
  /** Bins declared ahead of their source (the CLI is not written yet): reported, never silently passed. */
  readonly pending: string[];
}

/**
 * A bin must be shipped, start with a node shebang, and come from a shipped source. A bin whose
 * source does not exist yet is pending, not broken: its package declares the command before
 * its owner lands the CLI.
 */
export function binProblems(manifest: PackageManifest, pkg: PackedPackage): BinReport {
  const shipped = new Set(pkg.files);
  const report: BinReport = { problems: [], pending: [] };
  for (const [command, rawTarget] of Object.entries(binEntries(manifest))) {
    const target = normalizePackagePath(rawTarget);
    const source = sourceOf(target);
    if (!shipped.has(target)) {
      if (source && !shipped.has(source)) report.pending.push(`bin "${command}" -> ${target}: ${source} does not exist yet`);
      else report.problems.push(`bin "${command}" points at ${target}, which is not in the package`);
      continue;
    }
    if (!pkg.readText(target).startsWith('#!/usr/bin/env node')) {
      report.problems.push(`bin "${command}" (${target}) does not start with "#!/usr/bin/env node"`);
    }
  }
  return report;
}

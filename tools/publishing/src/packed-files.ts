import { posix } from 'node:path';

/** A package as `npm pack` would ship it: its manifest, the file list, and a way to read a listed file. */
export interface PackedPackage {
  readonly files: readonly string[];
  readText(path: string): string;
}

/** Tarball paths that are never for consumers: tests, fixtures, snapshots, build info, dev configs. */
export const FORBIDDEN_PATHS: ReadonlyArray<{ readonly pattern: RegExp; readonly what: string }> = [
  { pattern: /(^|\/)tests?\//, what: 'a test folder' },
  { pattern: /\.(spec|test)\.[cm]?[jt]sx?$/, what: 'a test file' },
  { pattern: /(^|\/)(__snapshots__|__fixtures__|fixtures)\//, what: 'a snapshot or fixture' },
  { pattern: /\.tsbuildinfo$/, what: 'TypeScript build info' },
  { pattern: /(^|\/)out-tsc\//, what: 'type-check output' },
  { pattern: /(^|\/)(tsconfig[^/]*\.json|vitest\.config\.[cm]?[jt]s|eslint\.config\.[cm]?js|\.npmrc|\.env[^/]*)$/, what: 'a development config file' },
];

export function forbiddenFileProblems(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const hit = FORBIDDEN_PATHS.find(({ pattern }) => pattern.test(file));
    return hit ? [`ships ${file} (${hit.what})`] : [];
  });
}

/** Every source of every source map in the tarball must itself be in the tarball. */
export function sourceMapProblems(pkg: PackedPackage): string[] {
  const shipped = new Set(pkg.files);
  return pkg.files
    .filter((file) => file.endsWith('.map'))
    .flatMap((mapFile) => {
      const map = JSON.parse(pkg.readText(mapFile)) as { sources?: string[]; sourceRoot?: string };
      const base = posix.join(posix.dirname(mapFile), map.sourceRoot ?? '');
      return (map.sources ?? [])
        .map((source) => posix.normalize(posix.join(base, source)))
        .filter((source) => !shipped.has(source))
        .map((source) => `${mapFile} points at ${source}, which is not in the package`);
    });
}

/** The source a compiled file comes from: `dist/a/b.js` or `dist/a/b.d.ts` -> `src/a/b.ts`. */
export function sourceOf(distFile: string): string | undefined {
  const match = /^dist\/(.+?)(\.d)?\.js$|^dist\/(.+?)\.d\.ts$/.exec(distFile);
  const stem = match?.[1] ?? match?.[3];
  return stem ? `src/${stem}.ts` : undefined;
}

/** Compiled files whose source is gone: left over in dist/ from an earlier build, shipping dead code. */
export function staleBuildProblems(files: readonly string[]): string[] {
  const shipped = new Set(files);
  return files
    .filter((file) => /^dist\/.+\.(js|d\.ts)$/.test(file))
    .filter((file) => {
      const source = sourceOf(file);
      return source !== undefined && !shipped.has(source);
    })
    .map((file) => `ships ${file}, whose source ${sourceOf(file)} does not exist (stale build output: clean dist/ and rebuild)`);
}

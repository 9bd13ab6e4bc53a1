/** The parts of a package.json this tool reads or writes. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly license?: string;
  readonly type?: string;
  readonly main?: string;
  readonly types?: string;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly exports?: unknown;
  readonly files?: readonly string[];
  readonly engines?: Readonly<Record<string, string>>;
  readonly repository?: string | { readonly type: string; readonly url: string; readonly directory?: string };
  readonly publishConfig?: Readonly<Record<string, unknown>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A package of the workspace: its folder (absolute and relative to the workspace root) and manifest. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly relativeDir: string;
  readonly manifest: PackageManifest;
}

/** The `bin` map of a manifest, whatever form it was written in (a string means the package name). */
export function binEntries(manifest: PackageManifest): Record<string, string> {
  if (!manifest.bin) return {};
  if (typeof manifest.bin === 'string') return { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin };
  return { ...manifest.bin };
}

/** `./dist/cli.js` -> `dist/cli.js`: the form npm uses in a tarball's file list. */
export function normalizePackagePath(path: string): string {
  return path.replace(/^\.\//, '');
}

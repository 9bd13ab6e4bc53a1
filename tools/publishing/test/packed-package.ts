import { PackageManifest, PackedPackage } from '../src';

/** An in-memory tarball: paths and their contents. */
export function packed(contents: Record<string, string>): PackedPackage {
  return {
    files: Object.keys(contents).sort(),
    readText: (path) => {
      const text = contents[path];
      if (text === undefined) throw new Error(`${path} is not in the package`);
      return text;
    },
  };
}

export function manifest(fields: Partial<PackageManifest> = {}): PackageManifest {
  return {
    name: '@crdb-ory/example',
    version: '1.2.3',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { '@crdb-ory/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
    peerDependencies: { cdktf: '^0.21.0 || ^0.24.0', constructs: '^10.4.2' },
    ...fields,
  };
}

/** A minimal well-formed package: compiled entry point, declarations, their map and the source. */
export function wellFormedContents(): Record<string, string> {
  return {
    'package.json': '{}',
    'README.md': '# example',
    'src/index.ts': "export * from 'cdktf';",
    'dist/index.js': 'const cdktf_1 = require("cdktf");\nconst fs = require("node:fs");\nconst path = require("path");',
    'dist/index.d.ts': "export * from 'cdktf';",
    'dist/index.d.ts.map': JSON.stringify({ version: 3, file: 'index.d.ts', sources: ['../src/index.ts'] }),
  };
}

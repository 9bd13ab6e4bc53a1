import { describe, expect, it } from 'vitest';
import { ENGINE_PEER_RANGE, PackageManifest, WorkspacePackage, findManifestProblems, privateLinkProblems, publishingFields, withPublishingFields, withWorkspaceLinks } from '../src';
import { manifest } from './packed-package';

const root: PackageManifest = {
  name: '@crdb-ory/source',
  version: '0.0.0',
  license: 'Apache-2.0',
  repository: { type: 'git', url: 'git+https://git.example.com/platform/crdb-ory.git' },
  engines: { node: '>=20.19' },
};

function workspacePackage(name: string, fields: Partial<PackageManifest> = {}): WorkspacePackage {
  const relativeDir = `packages/${name}`;
  const base = manifest({ name: `@crdb-ory/${name}`, ...fields });
  return { dir: `/ws/${relativeDir}`, relativeDir, manifest: withPublishingFields(base, publishingFields(root, { relativeDir, manifest: base })) };
}

describe('publishingFields', () => {
  it('points the repository at the package folder and takes license and engines from the root', () => {
    const fields = publishingFields(root, { relativeDir: 'packages/network', manifest: manifest() });
    expect(fields.repository).toEqual({ type: 'git', url: 'git+https://git.example.com/platform/crdb-ory.git', directory: 'packages/network' });
    expect(fields.license).toBe('Apache-2.0');
    expect(fields.engines).toEqual({ node: '>=20.19' });
    expect(fields.files).toContain('src');
  });

  it('refuses a root without a repository', () => {
    expect(() => publishingFields({ ...root, repository: undefined }, { relativeDir: 'packages/core', manifest: manifest() })).toThrow(/"repository"/);
  });

  it('ships the folder of a bin that lives outside dist/ (a committed launcher), once', () => {
    const withLauncher = manifest({ bin: { 'crdb-ory-verify': './bin/crdb-ory-verify.js', other: 'bin/other.js', built: 'dist/cli.js' } });
    const files = publishingFields(root, { relativeDir: 'packages/verify', manifest: withLauncher }).files ?? [];
    expect(files.filter((entry) => entry === 'bin')).toHaveLength(1);
    expect(files).not.toContain('!bin');
    expect(publishingFields(root, { relativeDir: 'packages/core', manifest: manifest() }).files).not.toContain('bin');
  });
});

describe('findManifestProblems', () => {
  const core = workspacePackage('core');

  it('accepts a synced package whose internal dependencies are released with it', () => {
    const network = workspacePackage('network', { dependencies: { '@crdb-ory/core': '1.2.3' } });
    expect(findManifestProblems(network, root, [core, network])).toEqual([]);
  });

  it('reports publishing fields that drifted from the root', () => {
    const drifted: WorkspacePackage = { ...core, manifest: { ...core.manifest, license: 'MIT', files: ['dist'] } };
    expect(findManifestProblems(drifted, root, [drifted])).toEqual([
      '"license" differs from what publishing needs: run `npm run publishing:sync-manifests`',
      '"files" differs from what publishing needs: run `npm run publishing:sync-manifests`',
    ]);
  });

  it('reports internal dependencies a consumer could not install', () => {
    const eks = workspacePackage('eks', {
      dependencies: { '@crdb-ory/core': '^1.2.3', '@crdb-ory/terraform-harness': '0.0.0' },
      peerDependencies: { cdktf: '^0.21.0 || ^0.24.0', '@crdb-ory/network': '1.2.3' },
    });
    expect(findManifestProblems(eks, root, [core, eks])).toEqual([
      'depends on @crdb-ory/core@^1.2.3; it must be the exact version released with it, 1.2.3',
      'depends on @crdb-ory/terraform-harness, which is not a publishable package',
      'lists @crdb-ory/network in peerDependencies; internal packages belong in "dependencies"',
    ]);
  });

  it('reports a peer range on the engine that refuses a supported engine (cdktf 0.21 or CDK Terrain 0.24, both installed as cdktf)', () => {
    const cdktfOnly = workspacePackage('network', { peerDependencies: { cdktf: '^0.21.0', constructs: '^10.4.2' } });
    expect(findManifestProblems(cdktfOnly, root, [cdktfOnly])).toEqual([
      'peers on cdktf "^0.21.0", which refuses cdktn 0.24.0 (a supported engine, installed as cdktf): use "^0.21.0 || ^0.24.0"',
    ]);
    const cdktnOnly = workspacePackage('network', { peerDependencies: { cdktf: '>=0.22.0' } });
    expect(findManifestProblems(cdktnOnly, root, [cdktnOnly])).toEqual([expect.stringContaining('refuses cdktf 0.21.0')]);
    expect(ENGINE_PEER_RANGE).toBe('^0.21.0 || ^0.24.0');
  });

  it('reports an exports map TypeScript cannot read', () => {
    const broken = workspacePackage('ory', { exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } } });
    expect(findManifestProblems(broken, root, [broken])).toEqual(['exports["."] lists "default" before "types" (TypeScript would never see the types)']);
  });
});

describe('privateLinkProblems', () => {
  it('requires private workspace packages to take internal packages as "*"', () => {
    const app: WorkspacePackage = {
      dir: '/ws/apps/us-east-1',
      relativeDir: 'apps/us-east-1',
      manifest: { name: '@crdb-ory/us-east-1', version: '0.0.0', private: true, dependencies: { '@crdb-ory/core': '0.1.0', '@crdb-ory/network': '*', zod: '4.1.12' } },
    };
    expect(privateLinkProblems(app)).toEqual([
      'apps/us-east-1 (private) takes @crdb-ory/core@0.1.0 in dependencies; use "*" (the workspace copy): run `npm run publishing:sync-manifests`',
    ]);
    expect(withWorkspaceLinks(app.manifest).dependencies).toEqual({ '@crdb-ory/core': '*', '@crdb-ory/network': '*', zod: '4.1.12' });
  });

  it('leaves publishable packages alone (they pin exact versions)', () => {
    const network = workspacePackage('network', { dependencies: { '@crdb-ory/core': '1.2.3' } });
    expect(privateLinkProblems(network)).toEqual([]);
  });
});

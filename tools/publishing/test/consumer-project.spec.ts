import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineNamed } from '@crdb-ory/engines';
import { PackageManifest, WorkspacePackage, consumerManifest, consumerNpmrc, duplicateInstalls, foreignInstalls, isSingletonPackage, pinnedPeers } from '../src';

const root: PackageManifest = {
  name: '@crdb-ory/source',
  version: '0.0.0',
  dependencies: { cdktf: '0.21.0', constructs: '10.4.5', '@cdktf/provider-aws': '20.1.0' },
  devDependencies: { typescript: '5.9.3', '@types/node': '20.19.43' },
};

function pkg(name: string, peerDependencies: Record<string, string>): WorkspacePackage {
  return { dir: `/ws/packages/${name}`, relativeDir: `packages/${name}`, manifest: { name: `@crdb-ory/${name}`, version: '1.2.3', peerDependencies } };
}

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('consumer project', () => {
  const packages = [pkg('core', { cdktf: '^0.21.0', constructs: '^10.4.2' }), pkg('cockroach', { '@cdktf/provider-aws': '^20.1.0', '@cdktf/provider-tls': '^11.0.1' })];

  it('pins every peer to the version the monorepo tests with, keeping the range where the root pins none', () => {
    expect(pinnedPeers(packages, root)).toEqual({ cdktf: '0.21.0', constructs: '10.4.5', '@cdktf/provider-aws': '20.1.0', '@cdktf/provider-tls': '^11.0.1' });
  });

  it('installs our packages at exactly the published versions', () => {
    const manifest = consumerManifest({ registryUrl: 'http://127.0.0.1:4873/', packages, rootManifest: root });
    expect(manifest.dependencies?.['@crdb-ory/core']).toBe('1.2.3');
    expect(manifest.dependencies?.['@crdb-ory/cockroach']).toBe('1.2.3');
    expect(manifest.devDependencies).toEqual({ typescript: '5.9.3', '@types/node': '20.19.43' });
  });

  it('installs the workspace\'s engine by default, and CDK Terrain as cdktf with the override that keeps one copy', () => {
    const onCdktf = consumerManifest({ registryUrl: 'http://127.0.0.1:4873/', packages, rootManifest: root });
    expect(onCdktf.dependencies?.['cdktf']).toBe('0.21.0');
    expect(onCdktf['overrides']).toBeUndefined();
    const onCdktn = consumerManifest({ registryUrl: 'http://127.0.0.1:4873/', packages, rootManifest: root, engine: engineNamed('cdktn') });
    expect(onCdktn.dependencies?.['cdktf']).toBe('npm:cdktn@0.24.0');
    expect(onCdktn.dependencies?.['constructs']).toBe('10.4.5');
    expect(onCdktn['overrides']).toEqual({ cdktf: '$cdktf' });
    expect(() => consumerManifest({ registryUrl: 'http://127.0.0.1:4873/', packages, rootManifest: { ...root, dependencies: { cdktf: '^0.21.0' } } })).toThrow(/a supported engine is/);
  });

  it('finds a second copy of the engine, constructs or a provider binding in a consumer\'s lock file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consumer-'));
    temps.push(dir);
    const lock = join(dir, 'package-lock.json');
    const lockOf = (packages: Record<string, object>) => writeFileSync(lock, JSON.stringify({ packages: { '': {}, ...packages } }));
    lockOf({ 'node_modules/cdktf': { name: 'cdktn', version: '0.24.0' }, 'node_modules/constructs': {}, 'node_modules/cdktf-cli/node_modules/yargs': {}, 'node_modules/@cdktf/provider-aws': {} });
    expect(duplicateInstalls(lock, isSingletonPackage)).toEqual([]);
    lockOf({ 'node_modules/cdktf': {}, 'node_modules/@cdktf/provider-aws/node_modules/cdktf': {}, 'node_modules/constructs': {}, 'node_modules/cdktf/node_modules/constructs': {} });
    expect(duplicateInstalls(lock, isSingletonPackage)).toEqual([
      'cdktf is installed 2 times: node_modules/cdktf, node_modules/@cdktf/provider-aws/node_modules/cdktf',
      'constructs is installed 2 times: node_modules/constructs, node_modules/cdktf/node_modules/constructs',
    ]);
  });

  it('sends our scope and everything else to the local registry', () => {
    expect(consumerNpmrc('http://127.0.0.1:4873/', '@crdb-ory').split('\n')).toEqual(
      expect.arrayContaining(['registry=http://127.0.0.1:4873/', '@crdb-ory:registry=http://127.0.0.1:4873/']),
    );
  });

  it('flags packages of our scope that were linked or came from another registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consumer-'));
    temps.push(dir);
    const lock = join(dir, 'package-lock.json');
    writeFileSync(
      lock,
      JSON.stringify({
        packages: {
          '': {},
          'node_modules/@crdb-ory/core': { resolved: 'http://127.0.0.1:4873/@crdb-ory/core/-/core-1.2.3.tgz' },
          'node_modules/@crdb-ory/network': { resolved: '../monorepo/packages/network', link: true },
          'node_modules/@crdb-ory/eks': { resolved: 'https://registry.npmjs.org/@crdb-ory/eks/-/eks-1.2.3.tgz' },
          'node_modules/cdktf': { resolved: 'https://registry.npmjs.org/cdktf/-/cdktf-0.21.0.tgz' },
        },
      }),
    );
    expect(foreignInstalls(lock, 'http://127.0.0.1:4873/', '@crdb-ory')).toEqual([
      'node_modules/@crdb-ory/network resolved from a link',
      'node_modules/@crdb-ory/eks resolved from https://registry.npmjs.org/@crdb-ory/eks/-/eks-1.2.3.tgz',
    ]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PackageManifest, WorkspacePackage, consumerManifest, consumerNpmrc, foreignInstalls, pinnedPeers } from '../src';

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

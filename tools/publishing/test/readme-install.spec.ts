import { describe, expect, it } from 'vitest';
import { PackageManifest, installCommands, readmeInstallProblems } from '../src';
import { manifest } from './packed-package';

const root: PackageManifest = {
  name: '@crdb-ory/source',
  version: '0.0.0',
  dependencies: { cdktf: '0.21.0', constructs: '10.6.0', '@cdktf/provider-aws': '20.1.0' },
};
const network = manifest({ name: '@crdb-ory/network', peerDependencies: { cdktf: '^0.21.0 || ^0.24.0', constructs: '^10.4.2', '@cdktf/provider-aws': '^20.1.0' } });

const README = `# @crdb-ory/network

## Install

On cdktf 0.21:

\`\`\`sh
npm install --save-exact @crdb-ory/network@<version> \\
  cdktf@0.21.0 constructs@10.6.0 @cdktf/provider-aws@20.1.0
\`\`\`

On CDK Terrain 0.24:

\`\`\`sh
npm pkg set 'overrides.cdktf=$cdktf'
npm install --save-exact @crdb-ory/network@<version> \\
  cdktf@npm:cdktn@0.24.0 constructs@10.6.0 @cdktf/provider-aws@20.1.0
\`\`\`

## Usage

npm install something-else
`;

describe('the README says how to install the package on each engine', () => {
  it('reads the npm install commands of the Install section only, continuation lines joined', () => {
    expect(installCommands(README).commands).toEqual([
      'npm install --save-exact @crdb-ory/network@<version> cdktf@0.21.0 constructs@10.6.0 @cdktf/provider-aws@20.1.0',
      'npm install --save-exact @crdb-ory/network@<version> cdktf@npm:cdktn@0.24.0 constructs@10.6.0 @cdktf/provider-aws@20.1.0',
    ]);
  });

  it('accepts one command per engine with every peer at the tested version, and the override for cdktn', () => {
    expect(readmeInstallProblems(network, README, root)).toEqual([]);
  });

  it('names the engine whose command is missing or incomplete, and a missing override', () => {
    const cdktfOnly = README.replace(/On CDK Terrain[\s\S]*?(?=## Usage)/, '');
    expect(readmeInstallProblems(network, cdktfOnly, root)).toEqual([
      'README.md "## Install" has no `npm install` for cdktn 0.24.0 with @crdb-ory/network@ cdktf@npm:cdktn@0.24.0 constructs@10.6.0 @cdktf/provider-aws@20.1.0',
      "README.md \"## Install\" does not set the override cdktn needs (npm pkg set 'overrides.cdktf=$cdktf')",
    ]);
    const oldConstructs = README.replaceAll('constructs@10.6.0', 'constructs@10.4.5');
    expect(readmeInstallProblems(network, oldConstructs, root)).toHaveLength(2);
  });

  it('asks nothing of a package that does not take the engine as a peer, and a section of one that does', () => {
    expect(readmeInstallProblems(manifest({ peerDependencies: {} }), undefined, root)).toEqual([]);
    expect(readmeInstallProblems(network, '# network\n', root)).toEqual(['README.md has no "## Install" section (one `npm install` per engine: see docs/engines.md)']);
  });
});

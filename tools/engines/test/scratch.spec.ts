import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { constructPackages, createScratchWorkspace, dependentsOfEngine, engineNamed, engineUsers, workspaceFiles } from '../src';

const cdktn = engineNamed('cdktn');
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function write(root: string, path: string, content: string | object): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
}

/**
 * A miniature workspace, as npm installs one: cdktf 0.21.0 and constructs hoisted, a provider
 * binding and a package built on it that load cdktf, a package that does not, and one project
 * linked into node_modules. A git repository, because the files to copy are what git sees.
 */
function miniatureWorkspace(options: { constructs?: string; nestedEngineIn?: string } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'engines-ws-'));
  temps.push(root);
  write(root, 'node_modules/cdktf/package.json', { name: 'cdktf', version: '0.21.0', peerDependencies: { constructs: '^10.4.2' } });
  write(root, 'node_modules/constructs/package.json', { name: 'constructs', version: options.constructs ?? '10.6.0' });
  write(root, 'node_modules/@cdktf/provider-aws/package.json', { name: '@cdktf/provider-aws', version: '20.1.0', peerDependencies: { cdktf: '^0.21.0', constructs: '^10.4.2' } });
  write(root, 'node_modules/@cdktf/provider-aws/lib/vpc/index.js', 'module.exports = {};');
  write(root, 'node_modules/aws-extras/package.json', { name: 'aws-extras', version: '1.0.0', dependencies: { '@cdktf/provider-aws': '20.1.0' } });
  write(root, 'node_modules/yaml/package.json', { name: 'yaml', version: '2.8.1' });
  if (options.nestedEngineIn) write(root, `node_modules/${options.nestedEngineIn}/node_modules/cdktf/package.json`, { name: 'cdktf', version: '0.20.0' });
  write(root, 'packages/core/package.json', { name: '@crdb-ory/core', version: '0.1.0', peerDependencies: { cdktf: '^0.21.0 || ^0.24.0' } });
  write(root, 'packages/core/src/index.ts', "import { App } from 'cdktf';\nexport const app = App;\n");
  write(root, 'tools/lint/package.json', { name: '@crdb-ory/lint', version: '0.0.0', private: true });
  write(root, 'tools/lint/src/index.ts', "import { parse } from 'yaml';\nexport const text = \"export * from 'cdktf';\";\nexport { parse };\n");
  write(root, 'tools/lint/fixtures/app/main.ts', "import { App } from 'cdktf';\n");
  write(root, 'tools/lint/src/ignored.log', 'ignored');
  write(root, 'tsconfig.base.json', '{}');
  write(root, 'notes.md', 'not a project file');
  write(root, '.gitignore', 'node_modules/\n*.log\n');
  write(root, '.nxignore', '# fixtures are not projects\ntools/lint/fixtures/\n');
  mkdirSync(join(root, 'node_modules/@crdb-ory'), { recursive: true });
  symlinkSync('../../packages/core', join(root, 'node_modules/@crdb-ory/core'));
  symlinkSync('../../tools/lint', join(root, 'node_modules/@crdb-ory/lint'));
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', 'packages', 'tsconfig.base.json'], { cwd: root });
  return root;
}

/** Stands in for `npm install npm:cdktn@0.24.0` (the real one runs in the engine-equivalence target). */
function fakeInstall(version = '0.24.0') {
  return (dir: string) => write(dir, 'node_modules/cdktf/package.json', { name: 'cdktn', version, peerDependencies: { constructs: '>=10.6.0 <10.8.0' } });
}

function scratchOf(root: string, install = fakeInstall()) {
  return createScratchWorkspace({ workspaceRoot: root, dir: join(root, '.scratch', 'cdktn'), engine: cdktn, log: () => undefined, install });
}

describe('workspaceFiles', () => {
  it('lists the project files git tracks or would track, not ignored or .nxignored ones, nor other root files', () => {
    expect(workspaceFiles(miniatureWorkspace())).toEqual([
      'packages/core/package.json',
      'packages/core/src/index.ts',
      'tools/lint/package.json',
      'tools/lint/src/index.ts',
      'tsconfig.base.json',
    ]);
  });
});

describe('dependentsOfEngine', () => {
  it('finds every installed package that loads the engine, directly or through another one', () => {
    expect(dependentsOfEngine(join(miniatureWorkspace(), 'node_modules'))).toEqual(['@cdktf/provider-aws', 'aws-extras']);
  });
});

describe('createScratchWorkspace', () => {
  it('holds the engine, hard links of its dependents and the workspace links; the rest resolves from the workspace', () => {
    const root = miniatureWorkspace();
    const scratch = scratchOf(root);
    expect(scratch.projects).toEqual(['packages/core', 'tools/lint']);
    expect(scratch.relinked).toEqual(['@cdktf/provider-aws', 'aws-extras']);
    const resolveFrom = (request: string, from: string) => require.resolve(`${request}/package.json`, { paths: [join(scratch.dir, from)] });
    expect(resolveFrom('cdktf', 'packages/core')).toBe(join(scratch.dir, 'node_modules/cdktf/package.json'));
    expect(resolveFrom('cdktf', 'node_modules/@cdktf/provider-aws')).toBe(join(scratch.dir, 'node_modules/cdktf/package.json'));
    expect(resolveFrom('@crdb-ory/core', 'tools/lint')).toBe(join(scratch.dir, 'packages/core/package.json'));
    expect(resolveFrom('yaml', 'tools/lint')).toBe(join(root, 'node_modules/yaml/package.json'));
    expect(resolveFrom('constructs', 'node_modules/cdktf')).toBe(join(root, 'node_modules/constructs/package.json'));
    // Hard links, not copies: the provider bindings are hundreds of megabytes.
    const file = 'node_modules/@cdktf/provider-aws/lib/vpc/index.js';
    expect(statSync(join(scratch.dir, file)).ino).toBe(statSync(join(root, file)).ino);
    expect(readFileSync(join(scratch.dir, 'package.json'), 'utf8')).toContain('"cdktf": "npm:cdktn@0.24.0"');
  });

  it('knows which projects use the engine, and which are construct packages', () => {
    const scratch = scratchOf(miniatureWorkspace());
    expect(engineUsers(scratch)).toEqual(['packages/core']);
    expect(constructPackages(scratch)).toEqual(['packages/core']);
  });

  it('refuses a scratch copy that would hold a second engine', () => {
    const root = miniatureWorkspace({ nestedEngineIn: '@cdktf/provider-aws' });
    expect(() => scratchOf(root)).toThrow(/node_modules\/@cdktf\/provider-aws loads cdktf from .*provider-aws\/node_modules\/cdktf\/package.json, not /);
  });

  it('refuses a constructs the engine does not accept (npm would refuse the install)', () => {
    expect(() => scratchOf(miniatureWorkspace({ constructs: '10.4.5' }))).toThrow("constructs 10.4.5 (from node_modules/constructs/package.json) is outside cdktn 0.24.0's peer range >=10.6.0 <10.8.0");
  });

  it('refuses an install that is not the engine asked for', () => {
    expect(() => scratchOf(miniatureWorkspace(), fakeInstall('0.23.0'))).toThrow("The scratch copy's cdktf is cdktn 0.23.0, not cdktn 0.24.0.");
  });

  it('stays inside the workspace, so that its node_modules is found above the copy', () => {
    const root = miniatureWorkspace();
    expect(() => createScratchWorkspace({ workspaceRoot: root, dir: join(tmpdir(), 'elsewhere'), engine: cdktn, log: () => undefined, install: fakeInstall() })).toThrow(/must be inside the workspace/);
  });
});

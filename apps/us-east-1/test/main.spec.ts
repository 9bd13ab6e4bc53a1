import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeAll } from '../src/synthesize';
import { resolveConfig } from '../src/config';
import { NODE_TS_ARGS, WORKSPACE_ROOT, runMain, runMainWith, tempDir } from './helpers';

const STACKS_IN_DEPLOY_ORDER = ['state', 'network', 'cockroach-pki', 'cockroach-backup', 'cockroach', 'eks', 'ory'];

describe('the app as a process (npm run synth)', () => {
  it('writes every stack with the defaults, with no credentials, prints the synthesis warnings and ends with one summary line', () => {
    const outdir = join(tempDir('main-ok'), 'cdktf.out');
    const { status, stdout, stderr } = runMain({}, outdir);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warning: \[cockroach\] No CockroachDB license secret is configured/),
      expect.stringMatching(/^warning: \[eks\] Nobody can reach the Kubernetes API/),
      expect.stringMatching(/^warning: \[network\] Nobody is subscribed to the alarm topic/),
      expect.stringMatching(/^warning: \[ory\] Ory runs in NON-PRODUCTION mode/),
    ]);
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const perStack = STACKS_IN_DEPLOY_ORDER.map((name) => `${name} \\d+`).join(', ');
    expect(lines[0]).toMatch(new RegExp(`^synthesized 7 stacks into ${outdir}/stacks in \\d+\\.\\d s \\(resources per stack: ${perStack}\\)$`));
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([...STACKS_IN_DEPLOY_ORDER].sort());
    expect(existsSync(join(outdir, 'stacks', 'network', 'cdk.tf.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks).toHaveProperty('network');
    const state = JSON.parse(readFileSync(join(outdir, 'stacks', 'state', 'cdk.tf.json'), 'utf8'));
    const count = Object.values<Record<string, unknown>>(state.resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    expect(lines[0]).toContain(`(resources per stack: state ${count}, network `);
  });

  it('run by cdktf-cli (`cdktf synth`), leaves the warnings to the CLI, which prints them from manifest.json: each is seen once', () => {
    const outdir = join(tempDir('main-cdktf'), 'cdktf.out');
    // What cdktf-cli 0.21 sets for the app it runs (@cdktf/cli-core, src/lib/synth-stack.ts); it prints the app's stderr as "[ERROR] default - ...".
    const { status, stdout, stderr } = runMainWith({ CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' }, outdir);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^synthesized 7 stacks into /);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const annotations = Object.values<{ annotations: Array<{ level: string }> }>(manifest.stacks).flatMap((stack) => stack.annotations);
    expect(annotations.filter((a) => a.level === '@cdktf/warn')).toHaveLength(4);
  });

  it('exits non-zero on a bad configuration, names the problem and writes nothing', () => {
    const parent = tempDir('main-bad');
    const outdir = join(parent, 'cdktf.out');
    const { status, stderr } = runMain({ availabilityZones: ['us-east-1a', 'us-east-1b'] }, outdir);
    expect(status).toBe(2);
    expect(stderr).toContain('availabilityZones: must list exactly 3 availability zones');
    expect(stderr).toContain('(got ["us-east-1a","us-east-1b"])');
    expect(stderr).toContain('Nothing was synthesized.');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('leaves a previous synthesis untouched when the configuration is bad', () => {
    const outdir = join(tempDir('main-keep'), 'cdktf.out');
    mkdirSync(join(outdir, 'stacks'), { recursive: true });
    writeFileSync(join(outdir, 'manifest.json'), 'previous');
    const { status } = runMain('{ "network": ', outdir);
    expect(status).toBe(2);
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('previous');
    expect(readdirSync(join(outdir, '..'))).toEqual(['cdktf.out']);
  });

  it.each([
    ['a directory as CRDB_ORY_CONFIG', (dir: string) => ({ CRDB_ORY_CONFIG: dir }), 'CRDB_ORY_CONFIG: names a directory, not a file'],
    ['an empty CRDB_ORY_CONFIG', () => ({ CRDB_ORY_CONFIG: '' }), 'CRDB_ORY_CONFIG: is set but empty'],
  ])('exits 2 and writes nothing for %s', (_, env, message) => {
    const parent = tempDir('main-env');
    const { status, stderr } = runMainWith(env(tempDir('a-dir')), join(parent, 'cdktf.out'));
    expect(stderr).toContain(message);
    expect(stderr).toContain('Nothing was synthesized.');
    expect(status).toBe(2);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('one way to run the app', () => {
  it('is the same command for npm run synth, cdktf synth (cdktf.json) and the Nx target, and the one these tests run', () => {
    const command = `node ${NODE_TS_ARGS.join(' ')} apps/us-east-1/src/main.ts`;
    const json = (path: string) => JSON.parse(readFileSync(join(WORKSPACE_ROOT, path), 'utf8'));
    expect(json('package.json').scripts.synth).toBe(command);
    expect(json('cdktf.json').app).toBe(command);
    expect(json('apps/us-east-1/package.json').nx.targets.synth.command).toBe(command);
  });
});

describe('what synthesis replaces in cdktf.out/', () => {
  it('replaces only stacks/*/cdk.tf.json, manifest.json and configuration.json, keeping cdktf\'s .terraform/ and lock files and any other file', () => {
    const outdir = join(tempDir('keep-others'), 'cdktf.out');
    const network = join(outdir, 'stacks', 'network');
    mkdirSync(join(network, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(network, '.terraform', 'providers', 'marker'), 'provider cache');
    writeFileSync(join(network, '.terraform.lock.hcl'), 'lock file');
    writeFileSync(join(network, 'cdk.tf.json'), '{"stale": true}');
    writeFileSync(join(outdir, 'review.md'), 'previous review');
    writeFileSync(join(outdir, 'manifest.json'), '{"stacks": {}}');
    writeFileSync(join(outdir, 'configuration.json'), '{"source": "a previous configuration", "sha256": null}');
    synthesizeAll(resolveConfig(undefined), outdir);
    // A synthesis that does not say which configuration it came from leaves no record behind, least of all another one's.
    expect(existsSync(join(outdir, 'configuration.json'))).toBe(false);
    synthesizeAll(resolveConfig(undefined), outdir, undefined, { source: 'the defaults', sha256: null });
    expect(JSON.parse(readFileSync(join(outdir, 'configuration.json'), 'utf8'))).toEqual({ source: 'the defaults', sha256: null });
    expect(readFileSync(join(network, '.terraform', 'providers', 'marker'), 'utf8')).toBe('provider cache');
    expect(readFileSync(join(network, '.terraform.lock.hcl'), 'utf8')).toBe('lock file');
    expect(readFileSync(join(outdir, 'review.md'), 'utf8')).toBe('previous review');
    expect(JSON.parse(readFileSync(join(network, 'cdk.tf.json'), 'utf8'))).not.toHaveProperty('stale');
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).stacks)).toHaveLength(STACKS_IN_DEPLOY_ORDER.length);
    expect(readdirSync(join(outdir, '..'))).toEqual(['cdktf.out']);
  });

  it('creates folders and files with normal permissions (the umask), not 0700', () => {
    const outdir = join(tempDir('perms'), 'cdktf.out');
    synthesizeAll(resolveConfig(undefined), outdir);
    const umask = process.umask();
    const mode = (path: string) => statSync(path).mode & 0o777;
    for (const dir of [outdir, join(outdir, 'stacks'), join(outdir, 'stacks', 'network')]) expect(mode(dir)).toBe(0o777 & ~umask);
    for (const file of [join(outdir, 'manifest.json'), join(outdir, 'stacks', 'network', 'cdk.tf.json')]) expect(mode(file)).toBe(0o666 & ~umask);
  });

  it('removes the synthesized file of a stack the app no longer has, keeping its other files', () => {
    const outdir = join(tempDir('stale-stack'), 'cdktf.out');
    synthesizeAll(resolveConfig(undefined), outdir);
    const manifestPath = join(outdir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.stacks.retired = { ...manifest.stacks.state, name: 'retired', workingDirectory: 'stacks/retired', synthesizedStackPath: 'stacks/retired/cdk.tf.json' };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    mkdirSync(join(outdir, 'stacks', 'retired', '.terraform'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'retired', 'cdk.tf.json'), '{}');
    synthesizeAll(resolveConfig(undefined), outdir);
    expect(readdirSync(join(outdir, 'stacks', 'retired'))).toEqual(['.terraform']);
    expect(Object.keys(JSON.parse(readFileSync(manifestPath, 'utf8')).stacks)).not.toContain('retired');
  });
});

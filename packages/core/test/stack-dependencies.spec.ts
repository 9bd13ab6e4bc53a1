import { App, TerraformStack } from 'cdktf';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ManifestStack, ProductStack, defineOutputsContract, readCdktfManifest } from '../src';

const UPSTREAM = defineOutputsContract('upstream', { vpcId: { type: 'string', description: 'The VPC.', example: 'vpc-1' } });
const OTHER = defineOutputsContract('other', { topicArn: { type: 'string', description: 'A topic.', example: 'arn:aws:sns:us-east-1:123456789012:t' } });
const WORKSPACE_ROOT = resolve(__dirname, '../../..');
/**
 * The cdktf CLI as Node resolves it from here: the workspace's, also from the engine test's scratch
 * copy (whose own node_modules holds only the engine), so the same test drives an app on either engine.
 */
function cdktfCli(): string {
  const manifest = require.resolve('cdktf-cli/package.json', { paths: [__dirname] });
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin['cdktf'] ?? 'bundle/bin/cdktf');
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-core-deps-'));
  scratch.push(dir);
  return dir;
}

/** Synthesizes the app as `npm run synth` does (App.synth) and returns manifest.json's stacks. */
function manifestOf(build: (app: App) => void): Readonly<Record<string, ManifestStack>> {
  const outdir = tempDir();
  const app = new App({ outdir, stackTraces: false });
  build(app);
  app.synth();
  return readCdktfManifest(outdir).stacks;
}

const local = { stateBackend: { type: 'local' } } as const;

describe('stack dependencies from upstream reads', () => {
  it('declares exactly the stacks a stack reads, whatever order the app adds them in', () => {
    const stacks = manifestOf((app) => {
      const downstream = new ProductStack(app, 'downstream', local);
      new ProductStack(app, 'upstream', local);
      new ProductStack(app, 'other', local);
      new ProductStack(app, 'unrelated', local);
      downstream.readUpstream(UPSTREAM);
      downstream.readUpstream(OTHER);
      downstream.recordUpstreamRead('upstream', 'another channel');
    });
    expect(stacks['downstream']?.dependencies).toEqual(['upstream', 'other']);
    expect(stacks['upstream']?.dependencies).toEqual([]);
    expect(stacks['unrelated']?.dependencies).toEqual([]);
  });

  it('records a read through any channel, not only remote state', () => {
    const stacks = manifestOf((app) => {
      new ProductStack(app, 'upstream', local);
      const downstream = new ProductStack(app, 'downstream', local);
      downstream.recordUpstreamRead('upstream', 'ssm-parameters');
      expect(downstream.upstreamReads).toEqual([{ stackName: 'upstream', channel: 'ssm-parameters' }]);
    });
    expect(stacks['downstream']?.dependencies).toEqual(['upstream']);
  });

  it('warns when the upstream stack is not part of the app, and declares nothing for it', () => {
    const stacks = manifestOf((app) => new ProductStack(app, 'downstream', local).readUpstream(UPSTREAM));
    expect(stacks['downstream']?.dependencies).toEqual([]);
    expect(stacks['downstream']?.annotations.map((a) => `${a.level} ${a.message}`)).toEqual([
      '@cdktf/warn Reads stack "upstream" (remote-state), which is not a stack of this app: `cdktf deploy \'*\'` cannot order it; deploy "upstream" first.',
    ]);
  });

  it('refuses a stack that reads itself, and a cycle', () => {
    const app = new App({ outdir: tempDir() });
    const upstream = new ProductStack(app, 'upstream', local);
    expect(() => upstream.readUpstream(UPSTREAM)).toThrow(/cannot read its own outputs/);
    const other = new ProductStack(app, 'other', local);
    upstream.readUpstream(OTHER);
    other.readUpstream(UPSTREAM);
    expect(() => app.synth()).toThrow(/circular/i);
  });

  it('depends on a stack of that name even when it is not a product stack', () => {
    const stacks = manifestOf((app) => {
      new TerraformStack(app, 'upstream');
      new ProductStack(app, 'downstream', local).readUpstream(UPSTREAM);
    });
    expect(stacks['downstream']?.dependencies).toEqual(['upstream']);
  });
});

/**
 * cdktf-cli 0.21 orders `deploy '*'` and `destroy '*'` by the manifest's `dependencies`
 * (@cdktf/cli-core src/lib/cdktf-project.js: deploy() takes getStackWithNoUnmetDependencies and
 * destroy() getStackWithNoUnmetDependants, both in src/lib/helpers/stack-helpers.js). This runs the
 * real CLI and the real terraform on a three-stack app whose only links are readUpstream calls.
 */
describe('cdktf deploy/destroy "*" with the real CLI', () => {
  it('deploys in the order of the reads and destroys in reverse', () => {
    const project = tempDir();
    const app = `${process.execPath} --conditions=@crdb-ory/source --require ${join(WORKSPACE_ROOT, 'tools/workspace/register.cjs')} ${join(__dirname, 'fixtures/graph-app.ts')}`;
    writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app, output: 'cdktf.out', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }));
    const cdktf = (...args: string[]) =>
      spawnSync(process.execPath, [cdktfCli(), ...args], { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' } });
    const order = (): string[] => readFileSync(join(project, 'order.log'), 'utf8').trim().split('\n');

    const deploy = cdktf('deploy', '*', '--auto-approve');
    expect(deploy.status, `${deploy.stdout}\n${deploy.stderr}`).toBe(0);
    expect(order()).toEqual(['first', 'middle', 'last']);
    expect(JSON.parse(readFileSync(join(project, 'terraform.last.tfstate'), 'utf8')).outputs.joined.value).toBe('first-value|first-value+middle');

    const destroy = cdktf('destroy', '*', '--auto-approve', '--skip-synth');
    expect(destroy.status, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
    expect(order()).toEqual(['first', 'middle', 'last', 'last', 'middle', 'first']);

    // A single stack with dependencies is refused unless its upstream stacks are named or the check is waived.
    const single = cdktf('deploy', 'last', '--auto-approve', '--skip-synth');
    expect(single.status).not.toBe(0);
    expect(`${single.stdout}${single.stderr}`).toMatch(/dependencies are not included in the stacks to run: first, middle.*--ignore-missing-stack-dependencies/s);
  }, 120_000);
});

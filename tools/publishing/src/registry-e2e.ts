import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCdktfManifest, readManifestStackJson } from '@crdb-ory/core/terraform';
import { Engine, compareEngineOutputs, engineLabel, otherEngines, readSynthesizedApp } from '@crdb-ory/engines';
import { GO_RUNTIME_ENV, AWS_PROVIDER, findProviderMirror, runTerraform, terraformAvailable, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { run, runSync, step } from '@crdb-ory/workspace';
import { consumerEngine, duplicateInstalls, foreignInstalls, listFiles, writeConsumerProject } from './consumer-project';
import { binProblems } from './entry-points';
import { LocalRegistry, startLocalRegistry } from './local-registry';
import { PACKAGE_SCOPE } from './manifest-check';
import { binEntries, WorkspacePackage } from './package-manifest';
import { checkPackage } from './pack-check';
import { isSingletonPackage } from './required-modules';
import { listPublishablePackages, readManifest } from './workspace';

export interface RegistryE2eOptions {
  readonly workspaceRoot: string;
  /** Empty folder outside the monorepo for the registry and the consumer project; the caller removes it. */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Called once the registry runs, so a signal handler can stop it. */
  readonly onRegistry?: (registry: LocalRegistry) => void;
}

/**
 * Publishes every publishable package to a fresh local Verdaccio with `nx release publish`,
 * installs them in a fresh project outside the monorepo from that registry only, type-checks
 * and synthesizes a CDKTF app built from them, validates the result with terraform where the
 * providers are available offline, and runs every installed bin's `--help`. Then the same app
 * on every other supported CDK engine (CDK Terrain installed as `cdktf`): installed, type-checked,
 * synthesized, and its Terraform compared with the first one's. The registry stops when this
 * returns or throws.
 */
export async function runRegistryE2e(options: RegistryE2eOptions): Promise<void> {
  const { workspaceRoot, workDir, log } = options;
  const packages = listPublishablePackages(workspaceRoot);
  await step(log, `build ${packages.length} packages`, () => run('npx', ['nx', 'run-many', '-t', 'build', '-p', 'packages/*'], { cwd: workspaceRoot }));
  await step(log, 'check every tarball (npm pack --dry-run)', async () => checkTarballs(workspaceRoot, packages, log));
  const uplinkUrl = runSync('npm', ['config', 'get', 'registry'], { cwd: workspaceRoot }).stdout.trim();
  const registry = await step(log, `start Verdaccio (uplink ${uplinkUrl})`, () => startLocalRegistry({ workDir: join(workDir, 'registry'), uplinkUrl }));
  options.onRegistry?.(registry);
  try {
    log(`  registry at ${registry.url}`);
    await step(log, 'publish with nx release publish', () => publishAll(workspaceRoot, workDir, registry));
    const rootManifest = readManifest(workspaceRoot);
    const consumerDir = join(workDir, 'consumer');
    const engine = consumerEngine({ rootManifest });
    writeConsumerProject(consumerDir, { registryUrl: registry.url, packages, rootManifest });
    await step(log, `npm install in a fresh project on ${engineLabel(engine)}, from the local registry only`, () => installConsumer(consumerDir, registry.url));
    await step(log, 'load every package with require() and import', () => loadEveryPackage(consumerDir, packages));
    await step(log, 'render the node scripts from the installed @crdb-ory/cockroach', () => renderNodeScripts(consumerDir));
    await buildAndSynthesize(consumerDir, log);
    const stacks = await step(log, 'check the synthesized stacks', async () => synthesizedStacks(consumerDir));
    await step(log, 'terraform validate the synthesized stacks', async () => validateStacks(consumerDir, stacks, log));
    await step(log, 'run the installed bins with --help', () => runInstalledBins(consumerDir, packages, log));
    for (const other of otherEngines(engine)) {
      const otherDir = join(workDir, `consumer-${other.name}`);
      writeConsumerProject(otherDir, { registryUrl: registry.url, packages, rootManifest, engine: other });
      await step(log, `npm install the same app on ${engineLabel(other)} (as cdktf, with the override), from the local registry only`, () => installConsumer(otherDir, registry.url));
      await step(log, 'load every package with require() and import', () => loadEveryPackage(otherDir, packages));
      await buildAndSynthesize(otherDir, log);
      await step(log, `compare its Terraform with ${engineLabel(engine)}'s`, async () => compareConsumers({ engine, dir: consumerDir }, { engine: other, dir: otherDir }, log));
    }
  } finally {
    await registry.stop();
    log('registry stopped');
  }
}

function checkTarballs(workspaceRoot: string, packages: readonly WorkspacePackage[], log: (line: string) => void): void {
  const root = readManifest(workspaceRoot);
  const failures: string[] = [];
  for (const pkg of packages) {
    const report = checkPackage(pkg, root, packages);
    log(`  ${report.name}: ${report.files.length} files`);
    for (const note of [...report.pending, ...report.warnings]) log(`    note: ${note}`);
    failures.push(...report.problems.map((problem) => `${report.name} ${problem}`));
  }
  if (failures.length > 0) throw new Error(`Packages not fit to publish:\n${failures.join('\n')}`);
}

async function publishAll(workspaceRoot: string, workDir: string, registry: LocalRegistry): Promise<void> {
  const userconfig = join(workDir, 'publish.npmrc');
  writeFileSync(userconfig, `${registry.authLine}\n`);
  // --first-release: the registry is new, so skip the per-package "already published?" lookup.
  const args = ['nx', 'release', 'publish', '--registry', registry.url, '--tag', 'latest', '--first-release', '--parallel=4', '--outputStyle=static'];
  await run('npx', args, {
    cwd: workspaceRoot,
    env: { npm_config_userconfig: userconfig },
  });
}

async function buildAndSynthesize(consumerDir: string, log: (line: string) => void): Promise<void> {
  await step(log, 'type-check the consumer app (tsc)', () => run('npx', ['--no-install', 'tsc', '-p', '.'], { cwd: consumerDir }));
  await step(log, 'synthesize the consumer app', () => run('node', ['dist/main.js'], { cwd: consumerDir }));
}

/** The same app synthesized on two engines: the same Terraform but for each engine's version stamp. */
function compareConsumers(left: { engine: Engine; dir: string }, right: { engine: Engine; dir: string }, log: (line: string) => void): void {
  const side = ({ engine, dir }: { engine: Engine; dir: string }) => ({ label: engineLabel(engine), version: engine.version, app: readSynthesizedApp(join(dir, 'cdktf.out')) });
  const { stacks, differences } = compareEngineOutputs(side(left), side(right));
  if (differences.length > 0) throw new Error(`The consumer app synthesizes differently on ${engineLabel(left.engine)} and ${engineLabel(right.engine)}:\n${differences.join('\n')}`);
  log(`  ${stacks.join(', ')}: identical but for the engine's version stamp`);
}

async function installConsumer(consumerDir: string, registryUrl: string): Promise<void> {
  // An empty user config: only the project's .npmrc decides where packages come from.
  const userconfig = join(consumerDir, '..', 'consumer-user.npmrc');
  writeFileSync(userconfig, '');
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: consumerDir, env: { npm_config_userconfig: userconfig } });
  const foreign = foreignInstalls(join(consumerDir, 'package-lock.json'), registryUrl, PACKAGE_SCOPE.replace(/\/$/, ''));
  if (foreign.length > 0) throw new Error(`Packages of our scope did not come from the local registry:\n${foreign.join('\n')}`);
  const duplicates = duplicateInstalls(join(consumerDir, 'package-lock.json'), isSingletonPackage);
  if (duplicates.length > 0) throw new Error(`The consumer's tree holds a second copy of a package that must exist once:\n${duplicates.join('\n')}`);
}

/** Each package loads on its own in the consumer, from CommonJS and from ESM, with named exports. */
async function loadEveryPackage(consumerDir: string, packages: readonly WorkspacePackage[]): Promise<void> {
  for (const { manifest } of packages) {
    const name = JSON.stringify(manifest.name);
    await run('node', ['-e', `const m = require(${name}); if (typeof m !== 'object') throw new Error('no exports');`], { cwd: consumerDir });
    await run('node', ['--input-type=module', '-e', `const m = await import(${name}); if (typeof m.default !== 'object') throw new Error('no exports');`], { cwd: consumerDir });
  }
}

/**
 * The node scripts are shell templates the cockroach package reads at run time (its src/scripts/*.sh,
 * next to the compiled dist/): each is rendered from the installed package, so a template missing
 * from the tarball, or looked for in the wrong folder, fails here and not at a user's synthesis.
 */
async function renderNodeScripts(consumerDir: string): Promise<void> {
  const settings = {
    region: 'us-east-1', nodeNumber: 1, nodeIp: '10.0.0.10', joinAddresses: ['10.0.0.10:26257'], availabilityZone: 'us-east-1a',
    nodeSecretArn: 'arn:node', dataVolumeId: 'vol-1', cockroachVersion: 'v1', cockroachSha256: '0', cockroachDownloadUrl: 'https://example.com/c.tgz',
    cache: '.25', maxSqlMemory: '.25', rootClientSecretArn: 'arn:root', clusterName: 'c', metricsNamespace: 'm', stopTimeoutSeconds: 1,
    bootstrap: { sql: 'SELECT 1;', statusParameterName: '/p', backupSchedule: { label: 'l', createSql: 'SELECT 1;', alterSql: 'SELECT 1;' } },
  };
  const script = `
    const c = require('@crdb-ory/cockroach');
    const ops = require('@crdb-ory/cockroach/ops');
    const rendered = [c.renderBootScript(), c.renderBootstrapScript(), c.renderRefreshCertsScript(), c.renderMetricsScript(), ops.renderNodeCommandScript(), c.renderUserData(${JSON.stringify(settings)})];
    for (const text of rendered) if (!text.startsWith('#!/bin/bash\\n') || text.includes('@@')) throw new Error('not a rendered script: ' + text.slice(0, 200));`;
  await run('node', ['-e', script], { cwd: consumerDir });
}

interface SynthesizedStack {
  readonly name: string;
  readonly dir: string;
  readonly json: { terraform?: { required_providers?: Record<string, { source?: string }> }; output?: Record<string, unknown> };
}

function synthesizedStacks(consumerDir: string): SynthesizedStack[] {
  const outdir = join(consumerDir, 'cdktf.out');
  const stacks = Object.values(readCdktfManifest(outdir).stacks).map((stack) => ({
    name: stack.name,
    dir: join(outdir, stack.workingDirectory),
    json: readManifestStackJson(outdir, stack),
  }));
  if (stacks.length === 0) throw new Error('The consumer app synthesized no stack.');
  for (const stack of stacks) {
    if (Object.keys(stack.json.output ?? {}).length === 0) throw new Error(`Stack ${stack.name} publishes no output.`);
  }
  return stacks;
}

/** `terraform init -backend=false` + `validate` for each stack whose providers the offline mirror holds. */
function validateStacks(consumerDir: string, stacks: readonly SynthesizedStack[], log: (line: string) => void): void {
  const mirror = terraformAvailable() ? findProviderMirror(AWS_PROVIDER) : undefined;
  if (!mirror) {
    log('  NOT VALIDATED: no terraform CLI or no hashicorp/aws provider mirror on this machine');
    return;
  }
  const cliConfigFile = writeMirrorCliConfig(consumerDir, mirror, [AWS_PROVIDER]);
  for (const stack of stacks) {
    const providers = Object.entries(stack.json.terraform?.required_providers ?? {}).map(([name, p]) => providerAddress(p.source ?? name));
    const unavailable = providers.filter((address) => address !== `${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}`);
    if (unavailable.length > 0) {
      log(`  ${stack.name}: NOT VALIDATED, needs ${unavailable.join(', ')} (not available offline)`);
      continue;
    }
    for (const args of [['init', '-backend=false', '-input=false'], ['validate']]) {
      const result = runTerraform(args, { cwd: stack.dir, cliConfigFile, env: GO_RUNTIME_ENV });
      if (!result.ok) throw new Error(`terraform ${args[0]} failed for stack ${stack.name}:\n${result.output}`);
    }
    log(`  ${stack.name}: valid`);
  }
}

/** `aws`, `hashicorp/aws` and `registry.terraform.io/hashicorp/aws` all name `hashicorp/aws`. */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `hashicorp/${parts[0]}`;
  return parts.slice(-2).join('/');
}

/** Every bin of our installed packages must answer `--help`; one declared before its CLI exists is reported as pending. */
async function runInstalledBins(consumerDir: string, packages: readonly WorkspacePackage[], log: (line: string) => void): Promise<void> {
  for (const pkg of packages) {
    const installedDir = join(consumerDir, 'node_modules', ...pkg.manifest.name.split('/'));
    const manifest = readManifest(installedDir);
    const report = binProblems(manifest, { files: listFiles(installedDir), readText: (path) => readFileSync(join(installedDir, path), 'utf8') });
    if (report.problems.length > 0) throw new Error(`${pkg.manifest.name}: ${report.problems.join('; ')}`);
    for (const pending of report.pending) log(`  PENDING ${pkg.manifest.name}: ${pending}`);
    for (const command of Object.keys(binEntries(manifest))) {
      if (report.pending.some((line) => line.startsWith(`bin "${command}"`))) continue;
      const bin = join(consumerDir, 'node_modules', '.bin', command);
      if (!existsSync(bin)) throw new Error(`${pkg.manifest.name} declares bin "${command}", but npm linked no node_modules/.bin/${command}.`);
      const { output } = await run(bin, ['--help'], { cwd: consumerDir, timeoutSeconds: 60 });
      if (output.trim().length === 0) throw new Error(`${command} --help printed nothing.`);
      log(`  ${command} --help: ${output.trim().split('\n')[0]}`);
    }
  }
}


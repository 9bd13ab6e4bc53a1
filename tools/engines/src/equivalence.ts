import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { preProcessFile } from 'typescript';
import { run, step } from '@crdb-ory/workspace';
import { ENGINE_PACKAGE, Engine, engineLabel, engineOfManifest, otherEngines } from './engines';
import { engineSpecSelection } from './engine-specs';
import { createScratchWorkspace, ScratchWorkspace } from './scratch';
import { compareEngineOutputs, readSynthesizedApp, resourceCount } from './synthesized';

/** Where scratch copies go: inside the workspace (git-ignored), so that the workspace's node_modules is above them. */
export const SCRATCH_ROOT = '.scratch';

/** A configuration both engines synthesize: the defaults, and one that turns on what the defaults leave off. */
export interface EngineConfiguration {
  readonly name: string;
  /** The config file's content (written to a file named by CRDB_ORY_CONFIG). */
  readonly json: string;
}

/** The non-default configuration: another region, S3 state, a domain, Object Lock, alarm subscribers, public access... */
export const NON_DEFAULT_CONFIG_FILE = join(__dirname, '..', 'config', 'non-default.config.json');

export function engineConfigurations(): EngineConfiguration[] {
  // `{}` rather than no file: a developer's crdb-ory.config.json at the root must not stand in for the defaults.
  return [
    { name: 'defaults', json: '{}\n' },
    { name: 'non-default', json: readFileSync(NON_DEFAULT_CONFIG_FILE, 'utf8') },
  ];
}

export interface EquivalenceOptions {
  readonly workspaceRoot: string;
  readonly log: (line: string) => void;
  /** Leave the scratch folder for debugging. */
  readonly keep?: boolean;
}

/**
 * For every supported engine other than the workspace's: builds a scratch copy of the
 * workspace on it, synthesizes every stack with both engines for each configuration and
 * compares them (any difference but the engine's version stamp fails), then type-checks the
 * projects that use the engine and runs the construct packages' unit tests on it.
 * Throws on the first failure.
 */
export async function runEngineEquivalence(options: EquivalenceOptions): Promise<void> {
  const { workspaceRoot, log } = options;
  const rootManifest = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as Parameters<typeof engineOfManifest>[0];
  const workspaceEngine = engineOfManifest(rootManifest);
  checkInstalled(workspaceRoot, workspaceEngine);
  log(`workspace engine: ${engineLabel(workspaceEngine)} (the root package.json's "${ENGINE_PACKAGE}")`);
  for (const engine of otherEngines(workspaceEngine)) {
    mkdirSync(join(workspaceRoot, SCRATCH_ROOT), { recursive: true });
    const work = mkdtempSync(join(workspaceRoot, SCRATCH_ROOT, `engine-${engine.name}-`));
    try {
      const scratch = await step(log, `scratch copy on ${engineLabel(engine)} (npm install of the engine alone; the installed tree reused)`, async () =>
        createScratchWorkspace({ workspaceRoot, dir: join(work, 'workspace'), engine, log }),
      );
      log(`  re-linked against it: ${scratch.relinked.join(', ')}`);
      for (const configuration of engineConfigurations()) {
        await step(log, `synthesize every stack on both engines (${configuration.name} configuration) and compare`, () =>
          compareSyntheses(workspaceRoot, workspaceEngine, scratch, configuration, join(work, 'out', configuration.name), log),
        );
      }
      const users = engineUsers(scratch);
      const checks = [
        { title: `type-check on ${engineLabel(engine)}: ${users.join(', ')}`, action: () => typecheck(workspaceRoot, scratch, users) },
        ...largestTestsFirst(scratch, constructPackages(scratch)).map((project) => ({ title: `unit tests of ${project} on ${engineLabel(engine)}`, action: () => unitTests(workspaceRoot, scratch, project) })),
      ];
      await inLanes(log, checks, CHECK_LANES);
    } finally {
      if (options.keep) log(`kept ${work}`);
      else rmSync(work, { recursive: true, force: true });
    }
  }
}

interface Check {
  readonly title: string;
  /** Resolves to the lines worth reporting. */
  readonly action: () => Promise<readonly string[]>;
}

/**
 * How many checks run at once. Two: most of a construct package's test time is waiting on the
 * stubbed commands its tests start, so a second lane roughly halves the wall time, while more
 * lanes on a 2-core machine (beside the rest of the test suite) slow the timing-sensitive tests
 * (the roll command's) towards their 30 s timeout.
 */
export const CHECK_LANES = 2;

/** The packages with the most test code first: the longest runs start first, so the lanes end together. */
function largestTestsFirst(scratch: ScratchWorkspace, projects: readonly string[]): string[] {
  const size = (project: string) => typeScriptFiles(join(scratch.dir, project, 'test')).reduce((sum, file) => sum + statSync(file).size, 0);
  return [...projects].sort((a, b) => size(b) - size(a));
}

/** Runs the checks in `lanes` lanes, in order; reports each as it ends and every failure at the end. */
async function inLanes(log: (line: string) => void, checks: readonly Check[], lanes: number): Promise<void> {
  const started = Date.now();
  log(`- ${checks.length} checks, ${lanes} at a time:`);
  const failures: string[] = [];
  const queue = [...checks];
  const lane = async (): Promise<void> => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const { title, action } = check;
      await action().then(
        (lines) => log([`  ok ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`, ...lines.map((line) => `    ${line}`)].join('\n')),
        (error: unknown) => {
          log(`  FAILED ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
          failures.push(`${title}: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

/** The workspace's installed engine is the one its package.json names (else `npm ci` was not run after a switch). */
function checkInstalled(workspaceRoot: string, engine: Engine): void {
  const installed = JSON.parse(readFileSync(join(workspaceRoot, 'node_modules', ENGINE_PACKAGE, 'package.json'), 'utf8')) as { name: string; version: string };
  if (installed.name !== engine.name || installed.version !== engine.version) {
    throw new Error(`node_modules/${ENGINE_PACKAGE} is ${installed.name} ${installed.version}, but the root package.json asks for ${engineLabel(engine)}: run npm ci (or npm install after switching engines).`);
  }
}

/** The app's command, exactly as cdktf-cli runs it (cdktf.json's `app`, through a shell, output folder in CDKTF_OUTDIR). */
function synthesize(cwd: string, appCommand: string, outdir: string, configFile: string): Promise<unknown> {
  return run('sh', ['-c', appCommand], { cwd, env: { CDKTF_OUTDIR: outdir, CRDB_ORY_CONFIG: configFile }, timeoutSeconds: 300 });
}

async function compareSyntheses(workspaceRoot: string, workspaceEngine: Engine, scratch: ScratchWorkspace, configuration: EngineConfiguration, out: string, log: (line: string) => void): Promise<void> {
  mkdirSync(out, { recursive: true });
  const configFile = join(out, 'crdb-ory.config.json');
  writeFileSync(configFile, configuration.json);
  const appCommand = (JSON.parse(readFileSync(join(workspaceRoot, 'cdktf.json'), 'utf8')) as { app: string }).app;
  const sides = [
    { label: engineLabel(workspaceEngine), version: workspaceEngine.version, cwd: workspaceRoot, outdir: join(out, workspaceEngine.name) },
    { label: engineLabel(scratch.engine), version: scratch.engine.version, cwd: scratch.dir, outdir: join(out, scratch.engine.name) },
  ];
  await Promise.all(sides.map((side) => synthesize(side.cwd, appCommand, side.outdir, configFile)));
  const [left, right] = sides.map((side) => ({ ...side, app: readSynthesizedApp(side.outdir) }));
  if (!left || !right) throw new Error('unreachable: two sides');
  const { stacks, differences } = compareEngineOutputs(left, right);
  if (differences.length > 0) {
    throw new Error(`The ${configuration.name} configuration synthesizes differently on ${left.label} and ${right.label} (beyond the engine's version stamp):\n  ${differences.join('\n  ')}`);
  }
  const resources = stacks.map((name) => `${name} ${resourceCount(left.app.stacks.get(name) ?? null)}`).join(', ');
  log(`  ${stacks.length} stacks and the manifest identical but for the version stamp (resources: ${resources})`);
}

/** `cdktf`, `constructs`, `@cdktf/provider-aws/lib/vpc`...: the modules whose types and behaviour come with the engine. */
export function isEngineModule(specifier: string): boolean {
  return specifier === ENGINE_PACKAGE || specifier.startsWith(`${ENGINE_PACKAGE}/`) || specifier === 'constructs' || specifier.startsWith('@cdktf/');
}

/** Projects whose TypeScript (sources or tests) imports the engine, constructs or a provider binding (TypeScript's own import scan). */
export function engineUsers(scratch: Pick<ScratchWorkspace, 'dir' | 'projects'>): string[] {
  return scratch.projects.filter((project) =>
    ['src', 'test'].some((folder) =>
      typeScriptFiles(join(scratch.dir, project, folder)).some((file) => preProcessFile(readFileSync(file, 'utf8'), true, false).importedFiles.some((imported) => isEngineModule(imported.fileName))),
    ),
  );
}

function typeScriptFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The construct packages: packages/* that take the engine as a peer dependency (what a consumer installs beside it). */
export function constructPackages(scratch: Pick<ScratchWorkspace, 'dir' | 'projects'>): string[] {
  return scratch.projects.filter((project) => {
    if (!project.startsWith('packages/')) return false;
    const manifest = JSON.parse(readFileSync(join(scratch.dir, project, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
    return ENGINE_PACKAGE in (manifest.peerDependencies ?? {});
  });
}

/** What the `typecheck` target runs (`tsc --build --emitDeclarationOnly`), for those projects at once. */
async function typecheck(workspaceRoot: string, scratch: ScratchWorkspace, projects: readonly string[]): Promise<string[]> {
  const tsc = resolve(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '--build', ...projects, '--emitDeclarationOnly', '--pretty', 'false'], { cwd: scratch.dir, timeoutSeconds: 600 });
  return [];
}

/**
 * What the `test` target runs (vitest in the project folder), with CI set: a missing snapshot fails
 * instead of being written; over the project's specs but its process specs (engine-specs.ts says why).
 */
async function unitTests(workspaceRoot: string, scratch: ScratchWorkspace, project: string): Promise<string[]> {
  const vitest = resolve(workspaceRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const projectDir = join(scratch.dir, project);
  const { run: specs, skipped } = engineSpecSelection(projectDir, isEngineModule);
  if (specs.length === 0) throw new Error(`${project}: no spec file to run on the other engine`);
  const { output } = await run(process.execPath, [vitest, 'run', ...specs], { cwd: projectDir, env: { CI: 'true' }, timeoutSeconds: 900 });
  return [
    ...output
      .split('\n')
      .filter((line) => /^\s*(Test Files|Tests)\s+\d+/.test(line))
      .map((line) => line.trim().replace(/\s+/g, ' ')),
    ...(skipped.length > 0 ? [`process specs not run again (engine-specs.ts): ${skipped.map((spec) => spec.replace(/^test\//, '')).join(', ')}`] : []),
  ];
}

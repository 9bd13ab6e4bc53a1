import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BESIDE_LONG_POLE_NICENESS, LONG_POLE_TARGETS, TEST_TARGETS, testCommandArgs, testCommands, testLanes } from '../src';

const ROOT = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The README's two commands: the fenced block under "## The two commands". */
function readmeCommands(): string[] {
  const section = read('README.md').split('## The two commands')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

describe('the README\'s test command', () => {
  it('is what CI runs, exactly, and nothing else', () => {
    const [, testCommand] = readmeCommands();
    expect(testCommand).toBe('npm ci && npm test');
    const ciCommands = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && !/^(set|cd|export) /.test(line));
    expect(ciCommands).toEqual([testCommand]);
  });

  it('runs the prerequisites check, then every test target through Nx', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts['test']).toBe('node --conditions=@crdb-ory/source --require @crdb-ory/workspace/register tools/workspace/src/main-test.ts');
    expect(testCommandArgs()).toEqual(['run-many', '-t', ...TEST_TARGETS, '--outputStyle=stream']);
  });

  it('starts the rehearsal first, in its own Nx process, and every other test target in a second one with one lane fewer: each target once', () => {
    expect(LONG_POLE_TARGETS).toEqual(['rehearse']);
    expect(testCommands()).toEqual([
      ['run-many', '-t', 'rehearse', '--outputStyle=stream'],
      ['run-many', '-t', ...TEST_TARGETS.filter((target) => target !== 'rehearse'), '--outputStyle=stream', '--parallel=2'],
    ]);
    expect(testCommands(['lint', 'test'])).toEqual([testCommandArgs(['lint', 'test'])]);
  });

  it('runs the lane beside the rehearsal at a lower priority (nice 5), the rehearsal, the critical path, at the default', () => {
    expect(BESIDE_LONG_POLE_NICENESS).toBe(5);
    expect(testLanes().map((lane) => lane.niceness)).toEqual([0, 5]);
    expect(testLanes().map((lane) => lane.args)).toEqual(testCommands());
    expect(testLanes(['lint', 'test'])).toEqual([{ args: testCommandArgs(['lint', 'test']), niceness: 0 }]);
  });

  it('starts each lane at its own priority: the one started first keeps its priority when the second is lowered', () => {
    // Relative to this process's own nice value: inside `npm test` this spec runs in the lowered lane.
    const own = getPriority();
    const lowered = Math.min(19, own + 4);
    const run = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--require', join(ROOT, 'tools/workspace/register.cjs'), join(__dirname, 'fixtures/lane-priorities.ts'), String(lowered)], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(lowered).toBeGreaterThan(own);
    expect(run.stdout.trim()).toBe(`long-pole=${own} beside=${lowered}`);
    expect(run.status).toBe(0);
  });

  it('has only cacheable targets, so that a rerun with nothing changed is replayed', () => {
    const nx = JSON.parse(read('nx.json'));
    const manifests = ['apps', 'packages', 'tools'].flatMap((group) =>
      readdirSync(join(ROOT, group)).flatMap((dir) => (existsSync(join(ROOT, group, dir, 'package.json')) ? [`${group}/${dir}`] : [])),
    );
    const declared = manifests.flatMap((dir) =>
      Object.entries((JSON.parse(read(`${dir}/package.json`)).nx?.targets ?? {}) as Record<string, { cache?: boolean }>).map(([target, config]) => ({ dir, target, config })),
    );
    // A project's own setting, else the target default.
    for (const { dir, target, config } of declared.filter((d) => TEST_TARGETS.includes(d.target))) expect(config.cache ?? nx.targetDefaults[target]?.cache, `${dir}:${target}`).toBe(true);
    expect(declared.filter((d) => TEST_TARGETS.includes(d.target)).map((d) => d.target)).toEqual(expect.arrayContaining(['review', 'e2e-registry', 'engine-equivalence']));
    expect(nx.targetDefaults.test.cache).toBe(true);
  });
});

#!/usr/bin/env node
// Measures the CPU time (user + system, children included) of every task `npm test` runs besides
// the deploy rehearsal: `node scripts/measure-test-cpu.mjs [--only <project:target>,...] [--out <file.tsv>]`.
//
// Each task runs one after another, alone, exactly as its Nx target's command (same command and
// working folder), under `/usr/bin/time -f "%U %S %e"`, without Nx itself: an `nx run` per task
// would add Nx's own start (about 8 CPU-s each) and re-run the task's dependencies. The `build`
// tasks run first, in dependency order, then every other task in the order of the task graph.
// The Nx start of the test command's second lane is measured once, as its own row (`nx graph`).
// On a shared machine, CPU-seconds are the comparable figure; wall time depends on the load.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' } } });
const scratch = mkdtempSync(join(tmpdir(), 'measure-test-cpu-'));
const env = { ...process.env, NX_DAEMON: 'false', CI: 'true' };

/** The test command's targets but the long pole (tools/workspace/src/test-command.ts). */
const { TEST_TARGETS, LONG_POLE_TARGETS } = JSON.parse(
  execFileSync(
    process.execPath,
    ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register', '-p', "JSON.stringify(require('./tools/workspace/src/test-command.ts'))"],
    { cwd: root, env },
  ),
);
const targets = TEST_TARGETS.filter((target) => !LONG_POLE_TARGETS.includes(target));

/** Runs `argv` under /usr/bin/time and returns [user, sys, wall] seconds. */
function timed(argv, cwd) {
  const times = join(scratch, 'time');
  const run = spawnSync('/usr/bin/time', ['-o', times, '-f', '%U %S %e', ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const [user, sys, wall] = readFileSync(times, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { user, sys, wall, status: run.status, tail: `${run.stdout}${run.stderr}`.split('\n').slice(-15).join('\n') };
}

const graphFile = join(scratch, 'graph.json');
const nx = createRequire(join(root, 'package.json')).resolve('nx/bin/nx.js');
const nxStart = timed([process.execPath, nx, 'run-many', '-t', ...targets, `--graph=${graphFile}`], root);
const taskGraph = JSON.parse(readFileSync(graphFile, 'utf8')).tasks;
const projects = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { createProjectGraphAsync } = await import('@nx/devkit');
       const g = await createProjectGraphAsync({ exitOnError: true });
       process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(g.nodes).map(([n, p]) => [n, p.data]))));`,
    ],
    { cwd: root, env, maxBuffer: 1 << 28 },
  ),
);

/** Task ids in dependency order: builds first, then the rest, each group in graph order. */
function ordered() {
  const done = new Set();
  const order = [];
  const visit = (id) => {
    if (done.has(id)) return;
    done.add(id);
    for (const dep of taskGraph.dependencies[id] ?? []) visit(dep);
    order.push(id);
  };
  const ids = Object.keys(taskGraph.tasks).sort();
  for (const id of ids.filter((id) => id.endsWith(':build'))) visit(id);
  for (const id of ids) visit(id);
  return order;
}

const only = values.only?.split(',');
const rows = [['nx graph (the second lane\'s Nx start)', nxStart]];
const out = values.out ?? join(scratch, 'test-cpu.tsv');
const line = (id, r) => `${id}\t${(r.user + r.sys).toFixed(1)}\t${r.user}\t${r.sys}\t${r.wall}\t${r.status}\n`;
writeFileSync(out, `task\tcpu\tuser\tsys\twall\tstatus\n${line(rows[0][0], nxStart)}`);
for (const id of ordered()) {
  if (only && !only.includes(id)) continue;
  const { project, target } = taskGraph.tasks[id].target;
  const config = projects[project].targets[target];
  const command = config.command ?? config.options?.command;
  const cwd = join(root, config.options?.cwd ?? projects[project].root);
  // `vitest` alone runs once when CI is set, as under Nx; tsc, eslint and vitest come from node_modules/.bin.
  const result = timed(['sh', '-c', `PATH="${join(root, 'node_modules/.bin')}:$PATH" ${command}`], cwd);
  rows.push([id, result]);
  appendFileSync(out, line(id, result));
  process.stdout.write(`${id}: ${(result.user + result.sys).toFixed(1)} CPU-s (${result.user} user + ${result.sys} sys), ${result.wall} s wall, exit ${result.status}\n`);
  if (result.status !== 0) process.stdout.write(`${result.tail}\n`);
}
const total = rows.reduce((sum, [, r]) => sum + r.user + r.sys, 0);
process.stdout.write(`total: ${total.toFixed(1)} CPU-s over ${rows.length} rows (nx start ${(nxStart.user + nxStart.sys).toFixed(1)})\n`);
rmSync(scratch, { recursive: true, force: true });

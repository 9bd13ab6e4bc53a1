#!/usr/bin/env node
// Benchmarks the main synth command as a whole process: wall time, CPU time and peak memory,
// median of N runs. Memory is reported two ways: the largest single process's peak RSS (GNU
// time's %M, or VmHWM) and the peak of the whole process tree's summed RSS (npm + sh + node,
// polled from /proc every 25 ms, so very short peaks can be missed). Not a test: run it by hand.
//
//   node scripts/bench-synth.mjs [runs=5] [command...]   (default command: npm run synth)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const command = process.argv.length > 3 ? process.argv.slice(3) : ['npm', 'run', '--silent', 'synth'];
const TIME = '/usr/bin/time';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Largest peak RSS (VmHWM) of one process, and summed current RSS (VmRSS), over a process tree, in kB. */
function treeMemoryKb(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let largest = 0;
  let sum = 0;
  const visit = (pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      largest = Math.max(largest, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      sum += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // gone
    }
    (children.get(pid) ?? []).forEach(visit);
  };
  visit(rootPid);
  return { largest, sum };
}

function runOnce(outdir) {
  const useTime = existsSync(TIME);
  const argv = useTime ? [TIME, '-f', '__BENCH__ %e %U %S %M', ...command] : command;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let polledLargest = 0;
    let polledTree = 0;
    const poll = setInterval(() => {
      const { largest, sum } = treeMemoryKb(child.pid);
      polledLargest = Math.max(polledLargest, largest);
      polledTree = Math.max(polledTree, sum);
    }, 25);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command.join(' ')} exited ${code}:\n${stderr}`));
      const timed = /__BENCH__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      const treeMb = polledTree / 1024;
      resolve(
        timed
          ? { wall: Number(timed[1]), cpu: Number(timed[2]) + Number(timed[3]), peakMb: Number(timed[4]) / 1024, treeMb }
          : { wall, cpu: NaN, peakMb: polledLargest / 1024, treeMb },
      );
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-synth-'));
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const result = await runOnce(join(scratch, `run-${i}`, 'cdktf.out'));
    results.push(result);
    console.log(`run ${i + 1}: ${result.wall.toFixed(2)} s wall, ${result.cpu.toFixed(2)} s CPU, ${result.peakMb.toFixed(0)} MB largest process, ${result.treeMb.toFixed(0)} MB tree`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const [wall, cpu, peak, tree] = ['wall', 'cpu', 'peakMb', 'treeMb'].map((k) => median(results.map((r) => r[k])));
console.log(
  `\n${command.join(' ')}: median of ${runs}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (user+sys), ` +
    `${peak.toFixed(0)} MB peak RSS of the largest process, ${tree.toFixed(0)} MB peak RSS of the process tree`,
);
console.log(`target: < 3 s and < 300 MB; load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

#!/usr/bin/env node
// Benchmarks the main synth command as a whole process: wall time, CPU time and peak memory
// (largest resident set of the process tree), median of N runs. Not a test: run it by hand.
//
//   node scripts/bench-synth.mjs [runs=5] [command...]   (default command: npm run synth)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
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

/** Peak RSS (kB) over a process tree, polled from /proc when GNU time is not installed. */
function treePeakKb(rootPid) {
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
  let peak = 0;
  const visit = (pid) => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]));
    } catch {
      // gone
    }
    (children.get(pid) ?? []).forEach(visit);
  };
  visit(rootPid);
  return peak;
}

function runOnce(outdir) {
  const useTime = existsSync(TIME);
  const argv = useTime ? [TIME, '-f', '__BENCH__ %e %U %S %M', ...command] : command;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let polledPeak = 0;
    const poll = useTime ? undefined : setInterval(() => (polledPeak = Math.max(polledPeak, treePeakKb(child.pid))), 20);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (poll) clearInterval(poll);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command.join(' ')} exited ${code}:\n${stderr}`));
      const timed = /__BENCH__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      resolve(timed ? { wall: Number(timed[1]), cpu: Number(timed[2]) + Number(timed[3]), peakMb: Number(timed[4]) / 1024 } : { wall, cpu: NaN, peakMb: polledPeak / 1024 });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-synth-'));
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const result = await runOnce(join(scratch, `run-${i}`, 'cdktf.out'));
    results.push(result);
    console.log(`run ${i + 1}: ${result.wall.toFixed(2)} s wall, ${result.cpu.toFixed(2)} s CPU, ${result.peakMb.toFixed(0)} MB peak`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const [wall, cpu, peak] = ['wall', 'cpu', 'peakMb'].map((k) => median(results.map((r) => r[k])));
console.log(`\n${command.join(' ')}: median of ${runs}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (user+sys), ${peak.toFixed(0)} MB peak RSS`);
console.log(`target: < 3 s and < 300 MB; load average now ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

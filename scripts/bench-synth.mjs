#!/usr/bin/env node
// Benchmarks `npm run synth` as a whole process against a baseline measured in the same run,
// interleaved: `node -e "require('@cdktf/provider-aws')"` (loading the provider's package index,
// what a synth that imports providers by index would cost). Prints the medians of N runs of each,
// the ratio of their wall times and the synth's peak RSS. Not a test: run it by hand, on a quiet
// machine if you can (the load average is printed, since other work skews both numbers).
//
//   node scripts/bench-synth.mjs [runs=5]
//
// Targets (issue 11): ratio <= 0.5, peak RSS <= 150 MB. Peak RSS is that of the largest single
// process (GNU time's %M, or VmHWM polled from /proc), as in the figures; the process
// tree's summed RSS (npm + sh + node) is printed too.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (process.argv[2] === '--help') {
  console.log('usage: node scripts/bench-synth.mjs [runs=5]   (npm run bench:synth -- [runs]): median wall time and peak RSS of npm run synth against a baseline');
  process.exit(0);
}
const runs = Number(process.argv[2] ?? 5);
const SYNTH = ['npm', 'run', '--silent', 'synth'];
const BASELINE = [process.execPath, '-e', "require('@cdktf/provider-aws')"];
const TIME = '/usr/bin/time';
const TARGET_RATIO = 0.5;
const TARGET_PEAK_MB = 150;

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

function runOnce(command, outdir) {
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

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const describe = (label, results) => {
  const [wall, cpu, peak, tree] = ['wall', 'cpu', 'peakMb', 'treeMb'].map((k) => median(results.map((r) => r[k])));
  console.log(`${label}: median of ${results.length}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (user+sys), ${peak.toFixed(0)} MB peak RSS (largest process), ${tree.toFixed(0)} MB (process tree)`);
  return { wall, peak };
};

const scratch = mkdtempSync(join(tmpdir(), 'bench-synth-'));
const synth = [];
const baseline = [];
console.log(`load average before: ${loadAverage()}`);
try {
  // Warm-up (not counted): file cache, and the transpile cache after a source change.
  await runOnce(SYNTH, join(scratch, 'warm', 'cdktf.out'));
  await runOnce(BASELINE, scratch);
  for (let i = 0; i < runs; i++) {
    const b = await runOnce(BASELINE, scratch);
    const s = await runOnce(SYNTH, join(scratch, `run-${i}`, 'cdktf.out'));
    baseline.push(b);
    synth.push(s);
    console.log(`run ${i + 1}: synth ${s.wall.toFixed(2)} s, ${s.peakMb.toFixed(0)} MB; baseline ${b.wall.toFixed(2)} s, ${b.peakMb.toFixed(0)} MB`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log('');
const s = describe(SYNTH.join(' '), synth);
const b = describe(`baseline: node -e "require('@cdktf/provider-aws')"`, baseline);
const ratio = s.wall / b.wall;
console.log(`\nratio synth / baseline (median wall): ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`);
console.log(`synth peak RSS: ${s.peak.toFixed(0)} MB (target <= ${TARGET_PEAK_MB} MB: ${s.peak <= TARGET_PEAK_MB ? 'met' : 'NOT met'})`);
console.log(`load average after: ${loadAverage()}`);

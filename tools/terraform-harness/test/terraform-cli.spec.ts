import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childrenCpuOfStat, cpuOf, runTerraformAsync } from '../src';

/** A folder whose `terraform` is this shell script, to put first on PATH. */
function fakeTerraform(script: string): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-terraform-'));
  writeFileSync(join(dir, 'terraform'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, 'terraform'), 0o755);
  return { dir, env: { PATH: `${dir}:${process.env['PATH'] ?? ''}` } };
}

describe('the CPU of one terraform command', () => {
  it('reads the waited-for children\'s CPU (cutime + cstime, fields 16 and 17) from a /proc/<pid>/stat line, in ticks of 1/100 s', () => {
    // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    expect(childrenCpuOfStat('4242 (sh) S 1 4242 4242 0 -1 4194560 120 3100 0 0 1 2 512 47 20 0 1 0 1000 2000000 300')).toBe(5.59);
    expect(childrenCpuOfStat('4242 (a) b) S 1 4242 4242 0 -1 4194560 120 3100 0 0 1 2 100 50 20 0')).toBe(1.5);
    expect(childrenCpuOfStat('')).toBeUndefined();
    expect(childrenCpuOfStat('4242 (sh) S 1')).toBeUndefined();
  });

  it('sums the CPU of a step of several commands only when every one was measured', () => {
    expect(cpuOf({ cpuSeconds: 1.25 }, { cpuSeconds: 2.5 })).toEqual({ cpuSeconds: 3.75 });
    expect(cpuOf({ cpuSeconds: 1.25 })).toEqual({ cpuSeconds: 1.25 });
    expect(cpuOf({ cpuSeconds: 1.25 }, {})).toEqual({});
    expect(cpuOf()).toEqual({});
  });

  it.runIf(process.platform === 'linux')('measures the CPU of the command and of the processes it waited for, and keeps its output and exit code', async () => {
    // The work is done by a child of "terraform", as the provider does its own.
    const { dir, env } = fakeTerraform('sh -c \'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done\'\necho "ran $*"\nexit 3');
    const measured = await runTerraformAsync(['plan', '-input=false'], { cwd: dir, env, measureCpu: true });
    expect(measured).toMatchObject({ ok: false, exitCode: 3, output: 'ran plan -input=false -no-color\n' });
    expect(measured.cpuSeconds).toBeGreaterThan(0.02);
    expect(measured.cpuSeconds).toBeLessThanOrEqual(measured.seconds + 0.05);
    const unmeasured = await runTerraformAsync(['plan'], { cwd: dir, env });
    expect(unmeasured).toMatchObject({ ok: false, exitCode: 3 });
    expect(unmeasured.cpuSeconds).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('stops the command itself at the timeout, not only the shell that measures it', async () => {
    const { dir, env } = fakeTerraform('echo $$ > pid\nexec sleep 60');
    const stopped = await runTerraformAsync(['apply'], { cwd: dir, env, measureCpu: true, timeoutSeconds: 1 });
    expect(stopped.ok).toBe(false);
    expect(stopped.seconds).toBeLessThan(20);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoPython, runPython } from '../src';

describe('motoPython', () => {
  it('skips a python3 without moto ahead on PATH (as Nx puts /usr/bin first) and finds the one with it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moto-python-')), 'bin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'python3'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, 'python3'), 0o755);
    const real = motoPython();
    expect(motoPython({ ...process.env, PATH: `${dir}:${process.env['PATH']}` })).toBe(real);
  });

  it('looks the python up once per PATH: each lookup imports moto and flask, about a second', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moto-python-')), 'bin');
    mkdirSync(dir);
    const calls = join(dir, 'calls');
    // A python3 that counts its calls, then runs the real one.
    writeFileSync(join(dir, 'python3'), `#!/bin/sh\necho call >> ${calls}\nexec ${motoPython()} "$@"\n`);
    chmodSync(join(dir, 'python3'), 0o755);
    const env = { ...process.env, PATH: `${dir}:${process.env['PATH']}` };
    expect(motoPython(env)).toBe(join(dir, 'python3'));
    expect(motoPython(env)).toBe(join(dir, 'python3'));
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('runs a helper without blocking: other work goes on while it runs, and its output and status come back', async () => {
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 10);
    try {
      const result = await runPython(['-c', 'import sys, time; time.sleep(0.5); print("out"); print("err", file=sys.stderr); sys.exit(3)'], process.env, 30_000);
      expect(result).toEqual({ status: 3, stdout: 'out\n', stderr: 'err\n' });
      expect(ticks).toBeGreaterThan(10);
    } finally {
      clearInterval(ticking);
    }
  });

  it('says what to install when no python3 has moto', () => {
    expect(() => motoPython({ PATH: '/nonexistent' })).toThrow('no python3 on PATH can import moto: pip install "moto[server]"');
  });
});

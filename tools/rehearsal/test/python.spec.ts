import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoPython } from '../src';

describe('motoPython', () => {
  it('skips a python3 without moto ahead on PATH (as Nx puts /usr/bin first) and finds the one with it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'moto-python-')), 'bin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'python3'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, 'python3'), 0o755);
    const real = motoPython();
    expect(motoPython({ ...process.env, PATH: `${dir}:${process.env['PATH']}` })).toBe(real);
  });

  it('says what to install when no python3 has moto', () => {
    expect(() => motoPython({ PATH: '/nonexistent' })).toThrow('no python3 on PATH can import moto: pip install "moto[server]"');
  });
});

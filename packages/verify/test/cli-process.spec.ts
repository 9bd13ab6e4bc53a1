import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', 'src', 'cli.ts');

/** The real entry point in a child process (through tsx), so exit codes are the process's own. */
function runProcess(args: string[]) {
  return spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env['PATH'] ?? '' } });
}

describe('crdb-ory-verify as a process', () => {
  it('--help exits 0 and documents the options', () => {
    const run = runProcess(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: crdb-ory-verify [options]');
    expect(run.stdout).toContain('--terraform-outputs');
  });

  it('bad usage exits 2 with the message on stderr', () => {
    const run = runProcess(['--repeat', 'many']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Setting "repeat" (flag --repeat) has value "many"');
    expect(run.stdout).toBe('');
  });
});

describe('start-up cost', () => {
  it('loads no cdktf or provider module (the cockroach contract comes from its cdktf-free subpath)', () => {
    const script = "require('./src/index.ts'); const heavy = Object.keys(require.cache).filter((m) => /node_modules\\/(cdktf|@cdktf|constructs)\\//.test(m)); process.stdout.write(JSON.stringify(heavy));";
    const run = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--import', 'tsx', '-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});

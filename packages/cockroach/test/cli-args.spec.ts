import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/ops/cli';
import { parseOptions } from '../src/ops/cli-args';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (t) => out.push(t), (t) => err.push(t));
  return { code, out: out.join(''), err: err.join('') };
}

describe('crdb-ory-cockroach command line', () => {
  it.each([
    [['roll', '--bogus'], 'crdb-ory-cockroach: unknown argument "--bogus"\n\nUsage: crdb-ory-cockroach roll [options]\n'],
    [['roll', 'node-1'], 'crdb-ory-cockroach: unknown argument "node-1"\n\nUsage: crdb-ory-cockroach roll [options]\n'],
    [['roll', '--region'], 'crdb-ory-cockroach: --region needs a value\n\n'],
    [['roll', '--region', '--dry-run'], 'crdb-ory-cockroach: --region needs a value\n\n'],
    [['roll', '--dry-run=yes'], 'crdb-ory-cockroach: --dry-run takes no value\n\n'],
    [['roll', '--dry-run', '--poll-interval', '0'], 'crdb-ory-cockroach: --poll-interval "0": allowed are seconds, at least 0.01, e.g. 15 or 0.5\n\n'],
    [['roll', '--dry-run', '--poll-interval', '0.005'], 'crdb-ory-cockroach: --poll-interval "0.005": allowed are seconds, at least 0.01, e.g. 15 or 0.5\n\n'],
    [['restore', '--dry-run', '--poll-interval=1e3'], 'crdb-ory-cockroach: --poll-interval "1e3": allowed are seconds, at least 0.01, e.g. 15 or 0.5\n\n'],
    [['renew-certificates', '--dry-run', '--poll-interval=-1'], 'crdb-ory-cockroach: --poll-interval "-1": allowed are seconds, at least 0.01, e.g. 15 or 0.5\n\n'],
    [['renew-certificates', '--dry-run', '--poll-interval', '.5'], 'crdb-ory-cockroach: --poll-interval ".5": allowed are seconds, at least 0.01, e.g. 15 or 0.5\n\n'],
    [['restore', '--timeout=1.5', '--dry-run'], 'crdb-ory-cockroach: --timeout "1.5": allowed are whole seconds, at least 1\n\nUsage: crdb-ory-cockroach restore [options]\n'],
    [['roll'], 'crdb-ory-cockroach: the roll drains and replaces nodes: run it with --dry-run to see what it would do, then with --yes\n\n'],
    [['restore', '--mode', 'swap'], 'crdb-ory-cockroach: --mode "swap": allowed are side-by-side and replace\n\n'],
    [['renew-certificates'], 'crdb-ory-cockroach: the renewal applies cockroach-pki and ory and refreshes every node'],
    [['rol'], 'crdb-ory-cockroach: unknown command "rol"\n\nUsage: crdb-ory-cockroach <command> [options]\nCommands:\n'],
  ])('%j is a usage error: exit 2, the message and the usage on stderr', async (argv, message) => {
    const result = await run(...argv);
    expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: '' });
    expect(result.err).toContain(message);
    expect(result.err).toMatch(/Usage: crdb-ory-cockroach/);
  });

  it('reads --poll-interval in seconds with a fraction (a test polls stubs every 50 ms; the operator\'s default stays 15 s), and every other duration in whole seconds', () => {
    const specs = [
      { name: 'poll-interval', kind: 'interval', help: '' },
      { name: 'timeout', kind: 'seconds', help: '' },
    ] as const;
    expect(parseOptions(['--poll-interval', '0.05', '--timeout', '30'], specs)).toEqual({ 'poll-interval': 0.05, timeout: 30 });
    expect(parseOptions(['--poll-interval=15'], specs)).toEqual({ 'poll-interval': 15 });
    expect(() => parseOptions(['--timeout', '0.5'], specs)).toThrow('--timeout "0.5": allowed are whole seconds, at least 1');
  });

  it('prints the usage of a command on --help (exit 0), and the commands with none (exit 2)', async () => {
    const help = await run('restore', '--bogus', '--help');
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toMatch(/^Usage: crdb-ory-cockroach restore \[options\]\nRestores Ory databases[\s\S]*\n {2}--timeout <secs> {10}how long one RESTORE may run \(default 21600\)\n/);
    expect(help.out).toContain('--poll-interval <secs>    seconds between checks while waiting, a fraction allowed, e.g. 0.5 (default 15 for roll, 3 for restore and renew-certificates)\n');
    expect(await run()).toMatchObject({ code: 2, out: expect.stringMatching(/^Usage: crdb-ory-cockroach <command> \[options\]\nCommands:\n {2}roll /), err: '' });
    expect(await run('help')).toMatchObject({ code: 0, err: '' });
  });
});

describe('start-up cost', () => {
  it('the operations CLI loads no cdktf or provider module: each roll, restore and renewal starts in a fraction of a second', () => {
    // As the bin launcher runs it in a checkout (src/ops/main.ts runs this module's main): the sources through the workspace's loader.
    const script = "require('./src/ops/cli.ts'); const heavy = Object.keys(require.cache).filter((m) => /node_modules\\/(cdktf|@cdktf|constructs)\\//.test(m)); process.stdout.write(JSON.stringify(heavy));";
    const run = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register', '-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});

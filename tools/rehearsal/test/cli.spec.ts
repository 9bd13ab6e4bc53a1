import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, parseArgs } from '../src';

describe('rehearse command line', () => {
  it('defaults to the committed rehearsal configuration and cdktf.out', () => {
    const options = parseArgs([]);
    expect(options).not.toBe('help');
    if (options === 'help') return;
    expect(options.configFile).toMatch(/tools\/rehearsal\/config\/rehearsal\.config\.json$/);
    expect(options.outdir).toMatch(/cdktf\.out$/);
    expect(options.skipScenarios).toBe(false);
  });

  it('takes a config file relative to the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
    writeFileSync(join(dir, 'c.json'), '{}');
    const options = parseArgs(['--config', 'c.json', '--skip-changes', '--keep'], dir);
    expect(options).toMatchObject({ configFile: join(dir, 'c.json'), skipScenarios: true, keep: true });
  });

  it.each([
    [['--config'], /--config needs a value/],
    [['--config', '/nonexistent/c.json'], /--config "\/nonexistent\/c.json" is not a file/],
    [['--fast'], /unknown argument "--fast": allowed are --config, --outdir, --skip-changes, --environments, --keep, --help/],
    [['--environments', 'staging,prod'], /--environments "staging,prod": no environment "prod"; allowed are crdb-ory, staging \(comma-separated\)/],
  ])('%j is a usage error (exit 2) naming the argument', async (argv, message) => {
    const errors: string[] = [];
    expect(await main(argv, () => undefined, (line) => errors.push(line))).toBe(2);
    expect(errors.join('\n')).toMatch(message);
  });

  it('runs only the environments --environments names, every one without it', () => {
    const only = parseArgs(['--environments', 'staging', '--skip-changes']);
    expect(only !== 'help' && only.environments?.map((environment) => environment.name)).toEqual(['staging']);
    const all = parseArgs([]);
    expect(all !== 'help' && all.environments).toBeUndefined();
  });

  it('--help prints the usage and exits 0', async () => {
    const out: string[] = [];
    expect(await main(['--help'], (line) => out.push(line))).toBe(0);
    expect(out.join('\n')).toMatch(/^usage: npm run rehearse/);
  });
});

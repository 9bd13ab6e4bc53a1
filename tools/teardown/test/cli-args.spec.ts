import { describe, expect, it } from 'vitest';
import { UsageError, main, parseTeardownArgs } from '../src';

describe('teardown arguments', () => {
  it('needs --dry-run or --yes, never both', () => {
    expect(parseTeardownArgs(['--dry-run'])).toEqual({ help: false, dryRun: true, deleteData: false, outdir: 'cdktf.out' });
    expect(parseTeardownArgs(['--yes', '--delete-data', '--outdir', 'out'])).toEqual({ help: false, dryRun: false, deleteData: true, outdir: 'out' });
    expect(() => parseTeardownArgs([])).toThrow(/run it with --dry-run .* then with --yes/);
    expect(() => parseTeardownArgs(['--dry-run', '--yes'])).toThrow(UsageError);
    expect(() => parseTeardownArgs(['--force'])).toThrow(/Unknown option '--force'/);
    expect(() => parseTeardownArgs(['--dry-run', 'stack'])).toThrow(UsageError);
  });

  it('exits 2 with the usage on a usage error, and on an output folder with no synthesis', async () => {
    const err: string[] = [];
    expect(await main(['--yes', '--dry-run'], () => undefined, (t) => err.push(t))).toBe(2);
    expect(err.join('')).toMatch(/exclude each other[\s\S]*Usage: npm run teardown/);
    const missing: string[] = [];
    expect(await main(['--dry-run', '--outdir', '/nonexistent/cdktf.out'], () => undefined, (t) => missing.push(t))).toBe(2);
    expect(missing.join('')).toMatch(/no manifest\.json in \/nonexistent\/cdktf\.out .*npm run synth/);
  });
});

import { describe, expect, it } from 'vitest';
import { USAGE_EXIT_CODE, UsageError, parseCommandLine, withUsageErrors } from '../src/command-line';

const OPTIONS = { config: { type: 'string' }, keep: { type: 'boolean' }, tag: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } as const;
const worded = (argv: string[]) => parseCommandLine(argv, { options: OPTIONS, unknownArgument: (arg) => `unknown argument "${arg}"` });

describe('parseCommandLine', () => {
  it('reads --name value, --name=value, flags, short flags and repeated options', () => {
    expect(worded(['--config', 'a.json', '--keep', '--tag=x', '--tag', 'y', '-h']).values).toEqual({ config: 'a.json', keep: true, tag: ['x', 'y'], help: true });
    expect(parseCommandLine(['--config=a.json', 'plan.json'], { options: OPTIONS, allowPositionals: true }).positionals).toEqual(['plan.json']);
  });

  it('words an unknown option, an unexpected positional and a short one as the command does, naming the whole argument', () => {
    expect(() => worded(['--fast'])).toThrow(new UsageError('unknown argument "--fast"'));
    expect(() => worded(['--fast=1'])).toThrow(new UsageError('unknown argument "--fast=1"'));
    expect(() => worded(['plan.json'])).toThrow(new UsageError('unknown argument "plan.json"'));
    expect(() => worded(['-x'])).toThrow(new UsageError('unknown argument "-x"'));
  });

  it('refuses an option without its value, with an empty one, or with the next option taken for it', () => {
    for (const argv of [['--config'], ['--config='], ['--config', '--keep']]) expect(() => worded(argv)).toThrow(new UsageError('--config needs a value'));
    expect(() => worded(['--keep=yes'])).toThrow(new UsageError('--keep takes no value'));
    expect(worded(['--config=--literal']).values.config).toBe('--literal');
  });

  it("without a wording of its own, gives parseArgs' messages as UsageErrors", () => {
    expect(() => parseCommandLine(['--force'], { options: OPTIONS })).toThrow(UsageError);
    expect(() => parseCommandLine(['--force'], { options: OPTIONS })).toThrow(/Unknown option '--force'/);
    expect(() => parseCommandLine(['stack'], { options: OPTIONS })).toThrow(/Unexpected argument 'stack'/);
  });
});

describe('withUsageErrors', () => {
  const USAGE = 'Usage: thing [--keep]\n';

  it('prints "<command>: <message>", a blank line and the usage, and gives exit code 2', async () => {
    const err: string[] = [];
    expect(withUsageErrors({ command: 'thing', usage: USAGE, err: (t) => err.push(t) }, () => worded(['--fast']) && 0)).toBe(USAGE_EXIT_CODE);
    expect(await withUsageErrors({ command: 'thing', usage: () => USAGE, err: (t) => err.push(t) }, () => Promise.reject(new UsageError('--keep twice')))).toBe(2);
    expect(err).toEqual(['thing: unknown argument "--fast"\n\nUsage: thing [--keep]\n', 'thing: --keep twice\n\nUsage: thing [--keep]\n']);
  });

  it("passes the body's exit code and any other error through", async () => {
    expect(withUsageErrors({ command: 'thing', usage: USAGE, err: () => undefined }, () => 1)).toBe(1);
    expect(() => withUsageErrors({ command: 'thing', usage: USAGE, err: () => undefined }, () => {
      throw new Error('boom');
    })).toThrow('boom');
    await expect(withUsageErrors({ command: 'thing', usage: USAGE, err: () => undefined }, () => Promise.reject(new Error('later')))).rejects.toThrow('later');
  });
});

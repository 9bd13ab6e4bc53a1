import { UsageError, parseCommandLine } from '@crdb-ory/core/command-line';

export { UsageError } from '@crdb-ory/core/command-line';

export interface OptionSpec {
  readonly name: string;
  readonly kind: 'flag' | 'string' | 'seconds';
  readonly help: string;
}

/** `--name value`, `--name=value` and `--flag`; anything else is a usage error naming it. */
export function parseOptions(args: readonly string[], specs: readonly OptionSpec[]): Record<string, string | number | boolean> {
  const options = Object.fromEntries(specs.map((spec) => [spec.name, { type: spec.kind === 'flag' ? ('boolean' as const) : ('string' as const) }]));
  const { values } = parseCommandLine(args, { options, unknownArgument: (arg) => `unknown argument "${arg}"` });
  const result: Record<string, string | number | boolean> = {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (value === undefined) continue;
    if (spec.kind !== 'seconds') {
      result[spec.name] = value;
      continue;
    }
    const seconds = Number(value);
    if (!Number.isInteger(seconds) || seconds < 1) throw new UsageError(`--${spec.name} "${String(value)}": allowed are whole seconds, at least 1`);
    result[spec.name] = seconds;
  }
  return result;
}

export function usageOf(command: string, summary: string, specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length + (s.kind === 'flag' ? 0 : 8)));
  const lines = specs.map((s) => `  --${(s.name + (s.kind === 'flag' ? '' : s.kind === 'seconds' ? ' <secs>' : ' <value>')).padEnd(width + 2)} ${s.help}`);
  return `Usage: crdb-ory-cockroach ${command} [options]\n${summary}\n\nOptions:\n${lines.join('\n')}\n`;
}

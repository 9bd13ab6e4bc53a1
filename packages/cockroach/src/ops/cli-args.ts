import { UsageError, parseCommandLine } from '@crdb-ory/core/command-line';

export { UsageError } from '@crdb-ory/core/command-line';

export interface OptionSpec {
  readonly name: string;
  /** `seconds`: whole seconds, at least 1; `interval`: seconds with an optional fraction, at least {@link MIN_INTERVAL_SECONDS}. */
  readonly kind: 'flag' | 'string' | 'seconds' | 'interval';
  readonly help: string;
}

/** The shortest `interval` option value: 10 ms. */
export const MIN_INTERVAL_SECONDS = 0.01;

/** `--name value`, `--name=value` and `--flag`; anything else is a usage error naming it. */
export function parseOptions(args: readonly string[], specs: readonly OptionSpec[]): Record<string, string | number | boolean> {
  const options = Object.fromEntries(specs.map((spec) => [spec.name, { type: spec.kind === 'flag' ? ('boolean' as const) : ('string' as const) }]));
  const { values } = parseCommandLine(args, { options, unknownArgument: (arg) => `unknown argument "${arg}"` });
  const result: Record<string, string | number | boolean> = {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (value === undefined) continue;
    if (spec.kind === 'seconds' || spec.kind === 'interval') result[spec.name] = seconds(spec, String(value));
    else result[spec.name] = value;
  }
  return result;
}

function seconds(spec: OptionSpec, value: string): number {
  const number = Number(value);
  if (spec.kind === 'seconds') {
    if (!Number.isInteger(number) || number < 1) throw new UsageError(`--${spec.name} "${value}": allowed are whole seconds, at least 1`);
    return number;
  }
  // Plain decimal notation only: no exponent, sign, hex or Infinity.
  if (!/^\d+(\.\d+)?$/.test(value) || number < MIN_INTERVAL_SECONDS) throw new UsageError(`--${spec.name} "${value}": allowed are seconds, at least ${MIN_INTERVAL_SECONDS}, e.g. 15 or 0.5`);
  return number;
}

export function usageOf(command: string, summary: string, specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length + (s.kind === 'flag' ? 0 : 8)));
  const lines = specs.map((s) => `  --${(s.name + (s.kind === 'flag' ? '' : s.kind === 'seconds' || s.kind === 'interval' ? ' <secs>' : ' <value>')).padEnd(width + 2)} ${s.help}`);
  return `Usage: crdb-ory-cockroach ${command} [options]\n${summary}\n\nOptions:\n${lines.join('\n')}\n`;
}

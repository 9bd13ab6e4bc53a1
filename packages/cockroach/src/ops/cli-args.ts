/** A usage error: exit 2 with the message and the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly name: string;
  readonly kind: 'flag' | 'string' | 'seconds';
  readonly help: string;
}

/** `--name value`, `--name=value` and `--flag`; anything else is a usage error naming it. */
export function parseOptions(args: readonly string[], specs: readonly OptionSpec[]): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const spec = match ? specs.find((s) => s.name === match[1]) : undefined;
    if (!match || !spec) throw new UsageError(`unknown argument "${arg}"`);
    if (spec.kind === 'flag') {
      if (match[2] !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      values[spec.name] = true;
      continue;
    }
    const value = match[2] ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${spec.name} needs a value`);
    if (spec.kind === 'seconds') {
      const seconds = Number(value);
      if (!Number.isInteger(seconds) || seconds < 1) throw new UsageError(`--${spec.name} "${value}": allowed are whole seconds, at least 1`);
      values[spec.name] = seconds;
    } else {
      values[spec.name] = value;
    }
  }
  return values;
}

export function usageOf(command: string, summary: string, specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length + (s.kind === 'flag' ? 0 : 8)));
  const lines = specs.map((s) => `  --${(s.name + (s.kind === 'flag' ? '' : s.kind === 'seconds' ? ' <secs>' : ' <value>')).padEnd(width + 2)} ${s.help}`);
  return `Usage: crdb-ory-cockroach ${command} [options]\n${summary}\n\nOptions:\n${lines.join('\n')}\n`;
}

/**
 * The one way the commands of this repository read their command line and report a wrong one:
 * `node:util` `parseArgs`, one `UsageError`, and exit code 2 with the message and the usage.
 * No Terraform CDK dependency (`@crdb-ory/core/command-line`): the commands load it cheaply.
 */
import { parseArgs } from 'node:util';

/** A wrong command line: the command prints the message and its usage, and exits USAGE_EXIT_CODE. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The exit code of a usage error, in every command. */
export const USAGE_EXIT_CODE = 2;

/** An option as `parseArgs` takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Repeatable: the values in order. @default false: the last one given wins */
  readonly multiple?: boolean;
}

export interface CommandLineSpec<O extends Readonly<Record<string, OptionSpec>>> {
  readonly options: O;
  /** @default false */
  readonly allowPositionals?: boolean;
  /**
   * How the command words an argument that is none of its options (or a positional it takes
   * none of); the other errors are then `--<name> needs a value` (none, an empty one, or the next
   * option taken for one) and `--<name> takes no value`.
   * @default every error worded as `parseArgs` words it
   */
  readonly unknownArgument?: (arg: string) => string;
}

type ScalarValue<T extends OptionSpec['type']> = T extends 'boolean' ? boolean : string;
type OptionValue<S extends OptionSpec> = S extends { readonly multiple: true } ? ScalarValue<S['type']>[] : ScalarValue<S['type']>;

export interface CommandLine<O extends Readonly<Record<string, OptionSpec>>> {
  /** The options given (absent when not given). */
  readonly values: { readonly [K in keyof O]?: OptionValue<O[K]> };
  readonly positionals: readonly string[];
}

/** Reads `argv` (strictly: anything the spec does not allow is a UsageError naming it). */
export function parseCommandLine<const O extends Readonly<Record<string, OptionSpec>>>(argv: readonly string[], spec: CommandLineSpec<O>): CommandLine<O> {
  const config = { args: [...argv], options: spec.options as Record<string, OptionSpec>, allowPositionals: spec.allowPositionals ?? false };
  const { unknownArgument } = spec;
  if (!unknownArgument) {
    try {
      const { values, positionals } = parseArgs({ ...config, strict: true });
      return { values: values as CommandLine<O>['values'], positionals };
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  // Not strict, so that the command's own wording names the argument; the same checks follow.
  const { values, positionals, tokens } = parseArgs({ ...config, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !config.allowPositionals) throw new UsageError(unknownArgument(token.value));
    if (token.kind !== 'option') continue;
    const option = config.options[token.name];
    if (!option) throw new UsageError(unknownArgument(argv[token.index] ?? token.rawName));
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    if (option.type === 'string' && (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('--')))) {
      throw new UsageError(`${token.rawName} needs a value`);
    }
  }
  return { values: values as CommandLine<O>['values'], positionals };
}

/** What a command prints a usage error to, and with which usage. */
export interface UsageReport {
  /** The command's name, before the message: `<command>: <message>`. */
  readonly command: string;
  /** The usage printed after the message (after a blank line). */
  readonly usage: string | (() => string);
  readonly err: (text: string) => void;
}

/**
 * Runs a command's body and gives its exit code. A UsageError it throws (or rejects with) is
 * written to `err` as `<command>: <message>`, a blank line and the usage, and gives
 * USAGE_EXIT_CODE; any other error passes through.
 */
export function withUsageErrors<R extends number | Promise<number>>(report: UsageReport, body: () => R): R {
  const onError = (error: unknown): number => {
    if (!(error instanceof UsageError)) throw error;
    report.err(`${report.command}: ${error.message}\n\n${typeof report.usage === 'string' ? report.usage : report.usage()}`);
    return USAGE_EXIT_CODE;
  };
  try {
    const result = body();
    return (result instanceof Promise ? result.catch(onError) : result) as R;
  } catch (error) {
    return onError(error) as R;
  }
}

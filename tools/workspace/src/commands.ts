import { ChildProcess, spawn, spawnSync } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Stops every command started with `run` that is still running (for signal handlers). */
export function stopRunningCommands(): void {
  for (const child of running) child.kill('SIGTERM');
}

/**
 * The environment for a child npm/nx/node: ours, minus the `npm_config_*` and `npm_package_*`
 * variables an enclosing `npm run` exports (an inherited `npm_config_registry` would override
 * the registry a project's .npmrc sets) and minus NODE_PATH/NODE_OPTIONS (which could reach into the
 * monorepo).
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(config|package)_/i.test(key) || key === 'NODE_PATH' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  // npm's update check fetches npm's own packument through whatever registry is configured:
  // through the local registry that is a slow proxied fetch after every command.
  return { ...env, NX_DAEMON: 'false', NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** @default 600 */
  readonly timeoutSeconds?: number;
}

export interface CommandResult {
  readonly output: string;
  readonly stdout: string;
  readonly seconds: number;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(`\`${command}\` failed:\n${output.trim().split('\n').slice(-60).join('\n')}`);
  }
}

/** Runs a command to completion, synchronously; throws a CommandError with its output on failure. */
export function runSync(command: string, args: readonly string[], options: CommandOptions): CommandResult {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    encoding: 'utf8',
    timeout: (options.timeoutSeconds ?? 600) * 1000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  if (result.status !== 0) throw new CommandError([command, ...args].join(' '), output);
  return { output, stdout: result.stdout ?? '', seconds: (Date.now() - started) / 1000 };
}

/**
 * Runs a command without blocking the event loop (the local registry serves from this
 * process meanwhile); throws a CommandError with its output on failure or timeout.
 */
export function run(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  const text = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), (options.timeoutSeconds ?? 600) * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new CommandError(text, `${output}\n${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve({ output, stdout, seconds: (Date.now() - started) / 1000 });
      else reject(new CommandError(text, `${output}\n(exit ${code ?? signal})`));
    });
  });
}

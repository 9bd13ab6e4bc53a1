import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runStubInProcess } from './stub-host.cjs';
import { STUBS_DIR } from './stub-behaviours';

/** The stubs written in JavaScript, which a sandbox can run in its own process. */
const JS_STUBS = new Set(['cockroach', 'aws', 'terraform']);

/** Host commands the node scripts call, each a link to `logging-stub`. */
export const HOST_COMMANDS = ['systemctl', 'chronyc', 'chown', 'useradd', 'id', 'dnf', 'blkid', 'mkfs.xfs', 'mountpoint', 'mount', 'curl', 'df'];

export interface StubRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One stub run on its own, for the behaviour probes: a temp `bin/` with every stub (and the host
 * commands) first on PATH and an empty `state/` ($STUB_STATE) the probe fills.
 */
export class StubSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'crdb-stub-'));
  readonly state = join(this.dir, 'state');
  readonly bin = join(this.dir, 'bin');

  /**
   * @param options.inProcess run the JavaScript stubs (cockroach, aws, terraform) in this process
   * (stub-host.cjs) when a run has no stdin input and no other working directory: the same stub
   * code and state files without a node start-up per call. @default false: every run a process,
   * as the behaviour probes hold the stubs.
   */
  constructor(private readonly options: { readonly inProcess?: boolean } = {}) {
    for (const d of [this.state, this.bin]) mkdirSync(d, { recursive: true });
    for (const name of ['cockroach', 'aws', 'terraform']) symlinkSync(join(STUBS_DIR, name), join(this.bin, name));
    for (const name of HOST_COMMANDS) symlinkSync(join(STUBS_DIR, 'logging-stub'), join(this.bin, name));
  }

  path(...parts: string[]): string {
    return join(this.state, ...parts);
  }

  write(name: string, content: string): void {
    mkdirSync(join(this.path(name), '..'), { recursive: true });
    writeFileSync(this.path(name), content);
  }

  writeJson(name: string, value: unknown): void {
    this.write(name, JSON.stringify(value));
  }

  readJson(name: string): any {
    return JSON.parse(readFileSync(this.path(name), 'utf8'));
  }

  read(name: string): string {
    return existsSync(this.path(name)) ? readFileSync(this.path(name), 'utf8') : '';
  }

  run(program: string, args: readonly string[], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): StubRun {
    const env = { PATH: `${this.bin}${delimiter}${process.env.PATH}`, STUB_STATE: this.state, HOME: this.dir, ...options.env };
    if (this.options.inProcess && options.input === undefined && options.cwd === undefined && JS_STUBS.has(program)) return runStubInProcess(join(this.bin, program), args, env);
    const result = spawnSync(join(this.bin, program), [...args], { encoding: 'utf8', input: options.input, cwd: options.cwd ?? this.dir, env });
    return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}` };
  }

  /** The behaviour ids the stubs went through, in order (`modelled(...)`). */
  exercised(): string[] {
    return this.read('behaviours.log').split('\n').filter(Boolean);
  }
}

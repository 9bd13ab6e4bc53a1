import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface TerraformResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly output: string;
  readonly seconds: number;
  /**
   * CPU seconds (user + system) of the terraform process and the provider processes it started and
   * waited for, with `measureCpu` where /proc is available; else undefined.
   */
  readonly cpuSeconds?: number;
}

export interface TerraformRunOptions {
  /** Working directory: the synthesized stack's folder. */
  readonly cwd: string;
  /** CLI config file (`TF_CLI_CONFIG_FILE`); without one the user's own config applies. */
  readonly cliConfigFile?: string;
  /** @default 300 */
  readonly timeoutSeconds?: number;
  /** Variables added to (or, when undefined, removed from) the inherited environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Measure the command's CPU (`cpuSeconds`; `runTerraformAsync` only, Linux). @default false */
  readonly measureCpu?: boolean;
}

/** True when a `terraform` binary answers on PATH. */
export function terraformAvailable(): boolean {
  const result = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  return result.status === 0;
}

/** The terraform CLI's version (`1.11.4`), or undefined when there is none on PATH. */
export function terraformVersion(): string | undefined {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return /"terraform_version"\s*:\s*"([^"]+)"/.exec(result.stdout)?.[1];
}

/** Runs terraform non-interactively, without colour, with no cloud credentials needed. */
export function runTerraform(args: readonly string[], options: TerraformRunOptions): TerraformResult {
  const started = process.hrtime.bigint();
  const result = spawnSync('terraform', [...args, '-no-color'], {
    cwd: options.cwd,
    env: terraformEnv(options),
    encoding: 'utf8',
    timeout: timeoutMs(options),
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  return { ok: result.status === 0, exitCode: result.status ?? -1, output, seconds: secondsSince(started) };
}

/** Like `runTerraform`, without blocking: lets several stacks be checked at once. */
export function runTerraformAsync(args: readonly string[], options: TerraformRunOptions): Promise<TerraformResult> {
  const started = process.hrtime.bigint();
  const measure = options.measureCpu === true && existsSync('/proc/self/stat');
  return new Promise((resolve) => {
    const command = [...args, '-no-color'];
    const child = measure
      ? spawn('sh', [CHILDREN_CPU_SCRIPT, 'terraform', ...command], { cwd: options.cwd, env: terraformEnv(options), timeout: timeoutMs(options), stdio: ['pipe', 'pipe', 'pipe', 'pipe'] })
      : spawn('terraform', command, { cwd: options.cwd, env: terraformEnv(options), timeout: timeoutMs(options) });
    let output = '';
    let stat = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdio[3]?.on('data', (chunk: Buffer) => (stat += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ ok: false, exitCode: -1, output: `${output}\n${error.message}`, seconds: secondsSince(started) }));
    child.on('close', (code) => {
      const cpuSeconds = measure ? childrenCpuOfStat(stat) : undefined;
      resolve({ ok: code === 0, exitCode: code ?? -1, output, seconds: secondsSince(started), ...(cpuSeconds === undefined ? {} : { cpuSeconds }) });
    });
  });
}

/**
 * `{ cpuSeconds }`: the CPU of one or more commands (a step of several), summed, when every one was
 * measured (`measureCpu`); else nothing.
 */
export function cpuOf(...results: ReadonlyArray<Pick<TerraformResult, 'cpuSeconds'>>): { readonly cpuSeconds?: number } {
  if (results.length === 0 || results.some((result) => result.cpuSeconds === undefined)) return {};
  return { cpuSeconds: results.reduce((sum, result) => sum + (result.cpuSeconds ?? 0), 0) };
}

/** The shell that measures a command's CPU with its waited-for children (children-cpu.sh); from src/ and from dist/ alike. */
const CHILDREN_CPU_SCRIPT = join(__dirname, '..', 'src', 'children-cpu.sh');

/**
 * The CPU seconds of the waited-for children in a /proc/<pid>/stat line: `cutime` + `cstime`,
 * fields 16 and 17, in clock ticks of USER_HZ, 100 on Linux (proc(5)). Undefined for a line that
 * is not one.
 */
export function childrenCpuOfStat(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).trim().split(' ');
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) && fields.length >= 15 ? (cutime + cstime) / 100 : undefined;
}

function terraformEnv(options: TerraformRunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...(options.cliConfigFile ? { TF_CLI_CONFIG_FILE: options.cliConfigFile } : {}),
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function timeoutMs(options: TerraformRunOptions): number {
  return (options.timeoutSeconds ?? 300) * 1000;
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

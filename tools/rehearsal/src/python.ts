import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** motoPython's answer per PATH: finding it imports moto and flask, about a second each time. */
const found = new Map<string, string>();

/**
 * The first `python3` on PATH that can import moto's server. Not simply `python3`: Nx puts
 * the folder of the node binary (often /usr/bin, with the system Python) first on the PATH of
 * its tasks, ahead of a pyenv or virtualenv Python that has moto. Looked up once per PATH.
 */
export function motoPython(env: NodeJS.ProcessEnv = process.env): string {
  const path = env['PATH'] ?? '';
  const known = found.get(path);
  if (known) return known;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, 'python3');
    if (!existsSync(candidate)) continue;
    if (spawnSync(candidate, ['-c', 'import moto, flask'], { env, timeout: 30_000 }).status === 0) {
      found.set(path, candidate);
      return candidate;
    }
  }
  throw new Error('no python3 on PATH can import moto: pip install "moto[server]"');
}

/** How a helper script ended. */
export interface PythonResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the rehearsal's python helpers (`moto/*.py`) with motoPython, without blocking the
 * rehearsal's other terraform processes meanwhile (as spawnSync would); killed after `timeoutMs`.
 */
export function runPython(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PythonResult> {
  return new Promise((resolve) => {
    const child = spawn(motoPython(), args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

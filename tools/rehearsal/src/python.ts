import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The first `python3` on PATH that can import moto's server. Not simply `python3`: Nx puts
 * the folder of the node binary (often /usr/bin, with the system Python) first on the PATH of
 * its tasks, ahead of a pyenv or virtualenv Python that has moto.
 */
export function motoPython(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'python3');
    if (!existsSync(candidate)) continue;
    if (spawnSync(candidate, ['-c', 'import moto, flask'], { env, timeout: 30_000 }).status === 0) return candidate;
  }
  throw new Error('no python3 on PATH can import moto: pip install "moto[server]"');
}

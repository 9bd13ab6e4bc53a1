import { spawn } from 'node:child_process';

/** What Nx hashes for a task: files, runtime commands and environment variables. */
export interface TaskInputs {
  readonly files: string[];
  readonly runtime: string[];
  readonly environment: string[];
}

/** The inputs of `target` (`project:target`) from the real workspace configuration (`nx show target inputs --json`). */
export function nxTaskInputs(workspaceRoot: string, target: string): Promise<TaskInputs> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'target', 'inputs', target, '--json'], { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(JSON.parse(out.slice(out.indexOf('{'))) as TaskInputs) : fail(new Error(`nx show target inputs ${target} exited ${code}`))));
  });
}

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ensurePrerequisites, missingLine } from './check-prerequisites';
import { PREREQUISITES } from './prerequisites';
import { runLanes, testLanes } from './test-command';

/**
 * `npm test`: the prerequisites first (stopping at once, in one line, if one is missing), then
 * every test target through Nx: the long pole (the rehearsal) in an Nx process of its own, and,
 * once that one has started its task (so the two never build the project graph at once), every
 * other target in a second one, at a lower priority (`runLanes`). Their output is relayed line by
 * line; the exit code is the first non-zero one.
 */
async function main(): Promise<number> {
  const missing = await ensurePrerequisites(PREREQUISITES, { env: process.env, log: (line) => process.stderr.write(`${line}\n`) });
  if (missing.length > 0) {
    process.stderr.write(`${missingLine(missing)}\n`);
    return 1;
  }
  return runLanes(testLanes(), (args) => startNx([...args, ...process.argv.slice(2)]));
}

/** ANSI colour sequences (ESC [ ... m), which Nx puts around `nx run`. */
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Starts `nx <args>`; `started` resolves at its first task line (`> nx run ...`), `exited` to its exit code. */
function startNx(args: readonly string[]): { readonly started: Promise<void>; readonly exited: Promise<number> } {
  const nx = require.resolve('nx/bin/nx.js');
  const child = spawn(process.execPath, [nx, ...args], { stdio: ['inherit', 'pipe', 'pipe'], env: { NX_DAEMON: 'false', ...process.env } });
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const relay = (from: NodeJS.ReadableStream, to: NodeJS.WritableStream) => {
    const lines = createInterface({ input: from, crlfDelay: Infinity });
    lines.on('line', (line) => {
      to.write(`${line}\n`);
      if (/^>\s*nx run /.test(line.replace(COLOURS, ''))) markStarted();
    });
    return new Promise<void>((resolve) => lines.on('close', resolve));
  };
  const relayed = Promise.all([relay(child.stdout, process.stdout), relay(child.stderr, process.stderr)]);
  const exited = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`nx: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  }).then(async (code) => {
    await relayed;
    return code;
  });
  return { started, exited };
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);

'use strict';
/**
 * Runs a workspace package's TypeScript entry point from a checkout, the way the npm scripts do:
 *
 *   node --conditions=@crdb-ory/source --require @crdb-ory/workspace/register <entry.ts> <args...>
 *
 * The committed bin launchers (packages/<pkg>/bin/*.js) call it when they run in a checkout.
 * Loading the sources is not enough: an import of another workspace package (`@crdb-ory/core/contract`)
 * resolves through that package's `exports` map, whose `default` target is its build output
 * (`dist/`), which a fresh clone does not have. Only the `@crdb-ory/source` condition maps it to
 * `src/`, and Node reads `--conditions` at start-up only. So when this process lacks the condition
 * (a bin run as `npx crdb-ory-verify`), the entry runs in a child `node` that has it; when the
 * condition is already set (the npm scripts `roll` and `restore` pass it), the entry runs in this
 * process.
 *
 * Plain JavaScript on purpose: it starts the TypeScript.
 */
const { spawn } = require('node:child_process');

const SOURCE_CONDITION = '@crdb-ory/source';
const REGISTER = require.resolve('./register.cjs');

/** Whether workspace packages resolve to their sources here: this package's own export under the condition. */
function sourceConditionActive() {
  try {
    return require.resolve('@crdb-ory/workspace').endsWith('.ts');
  } catch {
    return false; // dist/index.js, which the checkout does not have
  }
}

/** Runs `entry` (an absolute path to a .ts file) with this process's arguments; the exit code and signal are the child's. */
function runSource(entry) {
  if (sourceConditionActive()) {
    require(REGISTER);
    require(entry);
    return;
  }
  const child = spawn(process.execPath, [...process.execArgv, `--conditions=${SOURCE_CONDITION}`, '--require', REGISTER, entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  // As npm does for its scripts: a signal sent to this launcher reaches the command.
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`could not start ${entry}: ${error.message}\n`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.removeListener(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}

module.exports = { runSource, SOURCE_CONDITION };

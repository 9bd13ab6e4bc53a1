'use strict';
/**
 * Runs the JavaScript stubs (`aws`, `terraform`, `cockroach`, in stubs/) inside the calling
 * process instead of as a `node` process each, with what the stub process would have given: its
 * stdout, stderr and exit status (`process.exit` ends the stub, an uncaught error exits 1 with
 * its stack on stderr, as node does). The stub sees its own argv and the env the caller passed,
 * and reads and writes the same $STUB_STATE files, so its behaviour is the same. Saves a node
 * start-up (about 40 ms of CPU, more on a loaded machine) per stub call.
 *
 * - Preloaded (`node --require stub-host-preload.cjs`, which calls `installInProcessStubs`) into an
 *   operations command the tests run through its bin launcher: the command is the shipped one,
 *   unchanged. It still finds each program on PATH and calls `spawnSync`; only a call that
 *   resolves (through PATH and links) to one of these stub files is answered in the process. A
 *   call with stdin input or another working directory, and everything else (bash on a node,
 *   openssl, the host commands), still runs as a process. A roll makes about 140 such calls. One
 *   spec per command runs without it (`stubProcesses`), so the stubs' process path stays covered.
 * - Required by a spec (`StubSandbox` with `inProcess`): `runStubInProcess`.
 */
const childProcess = require('node:child_process');
const { existsSync, readFileSync, realpathSync, statSync } = require('node:fs');
const { delimiter, dirname, isAbsolute, join } = require('node:path');
const { compileFunction } = require('node:vm');

const STUBS = join(__dirname, 'stubs');
const IN_PROCESS = new Set(['aws', 'terraform', 'cockroach'].map((name) => join(STUBS, name)));
const realSpawnSync = childProcess.spawnSync;

/** A stub's exit (`process.exit(code)`), thrown through its code. */
class StubExit {
  constructor(code) {
    this.code = code;
  }
}

const compiled = new Map();
/** The stub's source as a CommonJS module body (its `#!` line dropped), compiled once per process. */
function compiledStub(file) {
  let fn = compiled.get(file);
  if (!fn) {
    const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
    fn = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname', 'process'], { filename: file });
    compiled.set(file, fn);
  }
  return fn;
}

/** Evaluates a stub file (or a module it requires by a relative path) with `fakeProcess` as its `process`. */
function evaluate(file, fakeProcess) {
  const module = { exports: {} };
  const localRequire = (id) => (id.startsWith('.') ? evaluate(require.resolve(join(dirname(file), id)), fakeProcess) : require(id));
  compiledStub(file).call(module.exports, module.exports, localRequire, module, file, dirname(file), fakeProcess);
  return module.exports;
}

/** The stub file a program name or path resolves to on `pathVariable`, when it is one of IN_PROCESS. */
function inProcessStub(program, pathVariable) {
  const candidates = isAbsolute(program) || program.includes('/') ? [program] : String(pathVariable ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, program));
  for (const candidate of candidates) {
    if (!existsSync(candidate) || !statSync(candidate).isFile()) continue;
    const target = realpathSync(candidate);
    return IN_PROCESS.has(target) ? target : undefined;
  }
  return undefined;
}

function runStub(file, args, env) {
  let stdout = '';
  let stderr = '';
  const fakeProcess = Object.create(process, {
    argv: { value: [process.execPath, file, ...args] },
    env: { value: env },
    exit: { value: (code = 0) => { throw new StubExit(code); } },
    stdout: { value: { write: (chunk) => { stdout += String(chunk); return true; } } },
    stderr: { value: { write: (chunk) => { stderr += String(chunk); return true; } } },
  });
  let status = 0;
  try {
    evaluate(file, fakeProcess);
  } catch (error) {
    if (error instanceof StubExit) status = error.code;
    else {
      status = 1;
      stderr += `${error && error.stack ? error.stack : String(error)}\n`;
    }
  }
  return { pid: 0, status, signal: null, stdout, stderr, output: [null, stdout, stderr] };
}

/** Replaces `child_process.spawnSync` in this process: a call of an IN_PROCESS stub runs here. */
function installInProcessStubs() {
  childProcess.spawnSync = inProcessSpawnSync;
}

function inProcessSpawnSync(program, args, options) {
  const argv = Array.isArray(args) ? args : [];
  const opts = (Array.isArray(args) ? options : args) ?? {};
  const env = opts.env ?? process.env;
  const sameDir = opts.cwd === undefined || opts.cwd === process.cwd();
  const stub = opts.input === undefined && opts.shell === undefined && sameDir ? inProcessStub(String(program), env.PATH) : undefined;
  if (!stub) return realSpawnSync.apply(this, arguments);
  const result = runStub(stub, argv.map(String), env);
  return opts.encoding ? result : { ...result, stdout: Buffer.from(result.stdout), stderr: Buffer.from(result.stderr), output: [null, Buffer.from(result.stdout), Buffer.from(result.stderr)] };
};

/**
 * Runs the stub `program` (a stub file, or a name found on `env.PATH`) with `args` in this process:
 * `{status, stdout, stderr}`; throws when it is not one of IN_PROCESS.
 */
function runStubInProcess(program, args, env) {
  const stub = inProcessStub(program, env.PATH);
  if (!stub) throw new Error(`runStubInProcess: ${program} is not one of the JavaScript stubs (${[...IN_PROCESS].join(', ')})`);
  const { status, stdout, stderr } = runStub(stub, args.map(String), env);
  return { status, stdout, stderr };
}

module.exports = { installInProcessStubs, runStubInProcess };

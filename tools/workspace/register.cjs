'use strict';
/**
 * Runs this repository's TypeScript sources in Node with no build step:
 *
 *   node --conditions=@crdb-ory/source --require @crdb-ory/workspace/register apps/us-east-1/src/main.ts
 *
 * A CommonJS require hook for `.ts` files (the workspace is CommonJS; `--conditions` resolves
 * workspace packages to their `src/`). Each file is transpiled once, with esbuild (type-only
 * imports dropped, no type checking: that is the `typecheck` target's job), and kept in
 * `node_modules/.cache/crdb-ory-ts/`, one entry per source file, keyed by a hash of the source,
 * the esbuild version and the options. Later runs read the cached JavaScript and never load
 * esbuild. Compared with `--import tsx` it skips the ESM loader thread and, unless source maps
 * are on (`--enable-source-maps`), source-mapped stack traces: both were most of a synth's time.
 *
 * Plain JavaScript on purpose: it is what loads the TypeScript.
 */
const Module = require('node:module');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** Bump when the transpile options change: old cache entries then miss. */
const LOADER_VERSION = '1';
/** tsconfig.base.json: target ES2022 (class fields are defined, as tsc emits them), isolated modules, CommonJS. */
const TSCONFIG_RAW = { compilerOptions: { target: 'ES2022', useDefineForClassFields: true, verbatimModuleSyntax: false } };
const CACHE_DIR = process.env.CRDB_ORY_TS_CACHE_DIR || join(__dirname, '..', '..', 'node_modules', '.cache', 'crdb-ory-ts');

let esbuild;
let esbuildVersion;

function loadEsbuild() {
  if (!esbuild) {
    esbuild = require('esbuild');
    esbuildVersion = esbuild.version;
  }
  return esbuild;
}

/** The installed esbuild's version without loading esbuild itself (its package.json only). */
function installedEsbuildVersion() {
  if (!esbuildVersion) esbuildVersion = require('esbuild/package.json').version;
  return esbuildVersion;
}

function transpile(source, filename, sourcemap) {
  return loadEsbuild().transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: sourcemap ? 'inline' : false,
    tsconfigRaw: TSCONFIG_RAW,
  }).code;
}

function cacheKey(source, sourcemap) {
  return createHash('sha256')
    .update(`${LOADER_VERSION}\0${installedEsbuildVersion()}\0${sourcemap ? 'map' : 'nomap'}\0`)
    .update(source)
    .digest('hex');
}

/** The cached JavaScript of `filename` if its header matches `key`, else undefined. */
function readCached(entry, key) {
  let text;
  try {
    text = readFileSync(entry, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  return newline > 0 && text.slice(0, newline) === `//${key}` ? text.slice(newline + 1) : undefined;
}

/** Writes the entry atomically (several processes may transpile the same file at once); a read-only cache is fine. */
function writeCached(entry, key, code) {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${entry}.${process.pid}.tmp`;
    writeFileSync(temporary, `//${key}\n${code}`);
    renameSync(temporary, entry);
  } catch {
    // No cache this time; the next run transpiles again.
  }
}

/** The JavaScript for one TypeScript file, from the cache or freshly transpiled. */
function compiledSource(filename) {
  const source = readFileSync(filename, 'utf8');
  const sourcemap = Boolean(process.sourceMapsEnabled);
  const key = cacheKey(source, sourcemap);
  const entry = join(CACHE_DIR, `${createHash('sha256').update(filename).digest('hex').slice(0, 32)}.js`);
  const cached = readCached(entry, key);
  if (cached !== undefined) return cached;
  const code = transpile(source, filename, sourcemap);
  writeCached(entry, key, code);
  return code;
}

if (!Module._extensions['.ts']) {
  Module._extensions['.ts'] = function loadTypeScript(module, filename) {
    module._compile(compiledSource(filename), filename);
  };
}

module.exports = { compiledSource, CACHE_DIR };

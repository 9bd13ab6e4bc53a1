import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoPython } from './python';

/** A running moto server on 127.0.0.1, started by the rehearsal's launcher. */
export interface Emulator {
  /** `https://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The server's self-signed certificate: the CA bundle (`AWS_CA_BUNDLE`) every client needs. */
  readonly caBundle: string;
  /** Stops the server (closes its stdin; kills it if it does not stop within 5 s). */
  stop(): Promise<void>;
}

/** The launcher: moto's server with the fixes the rehearsal needs (see `FIXES` in it). */
export const LAUNCHER = join(__dirname, '..', 'moto', 'launcher.py');

/** The fixes the launcher applies, one line each, after a first line naming moto's version. */
export async function emulatorFixes(python = motoPython()): Promise<{ motoVersion: string; fixes: string[] }> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(python, [LAUNCHER, '--fixes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${python} ${LAUNCHER} --fixes exited ${code}: ${text.trim()}`))));
  });
  const [first = '', ...fixes] = output.trim().split('\n');
  return { motoVersion: first.replace(/^moto\s+/, ''), fixes };
}

export interface EmulatorOptions {
  /** @default the first python3 on PATH that imports moto */
  readonly python?: string;
  /** Plain moto, none of the launcher's fixes (the tests show each fix is needed). @default false */
  readonly withoutFixes?: boolean;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/** Starts the launcher and resolves once it listens; rejects (and stops it) after `timeoutMs`. */
export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { python = motoPython(), withoutFixes = false, timeoutMs = 30_000 } = options;
  const certDir = mkdtempSync(join(tmpdir(), 'crdb-ory-moto-tls-'));
  const { cert, key } = selfSignedLoopbackCertificate(certDir);
  const child = spawn(python, [LAUNCHER, '--tls', cert, key, ...(withoutFixes ? ['--without-fixes'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('close', () => {
        clearTimeout(killer);
        resolve();
      });
      child.stdin.end();
    }).finally(() => rmSync(certDir, { recursive: true, force: true }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`moto did not start within ${timeoutMs / 1000} s: ${log.trim()}`))), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (log = `${log}${chunk.toString('utf8')}`.slice(-4000)));
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(log)?.[1];
      if (!port) return;
      clearTimeout(timer);
      resolve({ endpoint: `https://127.0.0.1:${port}`, caBundle: cert, stop });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${python} ${LAUNCHER}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited (${code}) before it listened: ${log.trim()}`));
    });
  });
}

/** A certificate for 127.0.0.1 made with openssl, valid for two days. */
function selfSignedLoopbackCertificate(dir: string): { cert: string; key: string } {
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl could not make the emulator's certificate: ${result.error?.message ?? result.stderr}`);
  return { cert, key };
}

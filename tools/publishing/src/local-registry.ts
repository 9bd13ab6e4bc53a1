import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runServer } from 'verdaccio';
import { PACKAGE_SCOPE } from './manifest-check';

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The `.npmrc` line that authenticates to this registry (any token: it takes anonymous publishes). */
  readonly authLine: string;
  stop(): Promise<void>;
}

export interface LocalRegistryOptions {
  /** Folder for the registry's config and storage; the caller removes it. */
  readonly workDir: string;
  /** Registry that serves every package outside our scope (cdktf, constructs, providers...). */
  readonly uplinkUrl: string;
}

/**
 * Verdaccio's config: our scope is served from local storage only (no uplink, so a package that
 * was not published here cannot come from anywhere else) and takes anonymous publishes;
 * everything else is proxied read-only from the uplink.
 */
export function verdaccioConfig(options: LocalRegistryOptions): string {
  return [
    `storage: ${JSON.stringify(join(options.workDir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(options.workDir, 'htpasswd'))}`,
    '    max_users: -1',
    'uplinks:',
    '  upstream:',
    `    url: ${JSON.stringify(options.uplinkUrl)}`,
    '    timeout: 60s',
    'packages:',
    `  '${PACKAGE_SCOPE}*':`,
    '    access: $all',
    '    publish: $all',
    '    unpublish: $all',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: upstream',
    // npm waits for idle keep-alive sockets to close before it exits: close them at once.
    'server:',
    '  keepAliveTimeout: 0.1',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: error }',
    '',
  ].join('\n');
}

/** Starts Verdaccio in this process on a free loopback port (the OS picks it: no race). */
export async function startLocalRegistry(options: LocalRegistryOptions): Promise<LocalRegistry> {
  mkdirSync(join(options.workDir, 'storage'), { recursive: true });
  const configFile = join(options.workDir, 'config.yaml');
  writeFileSync(configFile, verdaccioConfig(options));
  const server = (await runServer(configFile)) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    authLine: `//127.0.0.1:${port}/:_authToken=local-e2e-anonymous`,
    stop: () => stopServer(server),
  };
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

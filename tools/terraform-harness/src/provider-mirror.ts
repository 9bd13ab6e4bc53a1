import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A provider this project needs, as it appears in a filesystem mirror. */
export interface ProviderRequirement {
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
}

export const AWS_PROVIDER: ProviderRequirement = { namespace: 'hashicorp', type: 'aws', version: '5.100.0' };

const REGISTRY_HOST = 'registry.terraform.io';
const MAX_DEPTH = 4;

/**
 * Folders searched for a mirror, most specific first: an explicit `TF_PROVIDER_MIRROR`, then
 * Terraform's implied local mirror folders, then the usual places machines keep shared
 * tooling. Nothing machine-specific is hard-coded; each root is searched a few levels deep.
 */
export function mirrorSearchRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env['HOME'] ?? homedir();
  return [
    env['TF_PROVIDER_MIRROR'],
    join(home, '.terraform.d', 'plugins'),
    join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    '/opt',
    '/usr/local/share',
    '/srv',
    home,
  ].filter((root): root is string => Boolean(root));
}

/** Finds a folder that holds `registry.terraform.io/<ns>/<type>/<version>/<os>_<arch>`; undefined if none. */
export function findProviderMirror(provider: ProviderRequirement = AWS_PROVIDER, roots = mirrorSearchRoots()): string | undefined {
  for (const root of roots) {
    const found = search(root, provider, 0);
    if (found) return found;
  }
  return undefined;
}

export function platformDir(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${process.platform}_${arch}`;
}

function holdsProvider(dir: string, provider: ProviderRequirement): boolean {
  return existsSync(join(dir, REGISTRY_HOST, provider.namespace, provider.type, provider.version, platformDir()));
}

function search(dir: string, provider: ProviderRequirement, depth: number): string | undefined {
  if (!isDirectory(dir)) return undefined;
  if (holdsProvider(dir, provider)) return dir;
  if (depth >= MAX_DEPTH) return undefined;
  for (const entry of safeReaddir(dir)) {
    if (entry.startsWith('.') && depth > 0) continue;
    if (entry === 'node_modules' || entry === 'proc') continue;
    const found = search(join(dir, entry), provider, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

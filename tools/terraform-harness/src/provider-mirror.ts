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

/**
 * What the machine's provider mirrors hold, one line per provider binary:
 * `hashicorp/aws 5.100.0 linux_amd64 terraform-provider-aws_v5.100.0_x5 706945176 bytes`. It
 * changes when a provider is added, removed or replaced, so it can key cached results of
 * Terraform checks (an Nx runtime input). No machine paths, no hashing of 700 MB binaries.
 */
export function mirrorFingerprint(roots = mirrorSearchRoots()): string[] {
  const lines = new Set<string>();
  for (const mirror of mirrorFolders(roots)) {
    const registry = join(mirror, REGISTRY_HOST);
    for (const namespace of safeReaddir(registry))
      for (const type of safeReaddir(join(registry, namespace)))
        for (const version of safeReaddir(join(registry, namespace, type)))
          for (const platform of safeReaddir(join(registry, namespace, type, version)))
            for (const file of safeFiles(join(registry, namespace, type, version, platform))) lines.add(`${namespace}/${type} ${version} ${platform} ${file.name} ${file.size} bytes`);
  }
  return [...lines].sort();
}

/** Every folder under `roots` that holds a `registry.terraform.io` tree (a filesystem mirror). */
export function mirrorFolders(roots = mirrorSearchRoots()): string[] {
  const found = new Set<string>();
  const visit = (dir: string, depth: number): void => {
    if (!isDirectory(dir)) return;
    if (isDirectory(join(dir, REGISTRY_HOST))) {
      found.add(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const entry of safeReaddir(dir)) {
      if ((entry.startsWith('.') && depth > 0) || entry === 'node_modules' || entry === 'proc') continue;
      visit(join(dir, entry), depth + 1);
    }
  };
  for (const root of roots) visit(root, 0);
  return [...found];
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

function safeFiles(dir: string): Array<{ name: string; size: number }> {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => ({ name: entry.name, size: statSync(join(dir, entry.name)).size }));
  } catch {
    return [];
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

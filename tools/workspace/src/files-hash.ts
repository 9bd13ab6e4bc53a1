import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A SHA-256 over the paths and contents of every file under `dirs` (relative to `root`): an Nx
 * runtime input for folders Nx does not see (`.nxignore`d fixtures).
 */
export function filesHash(root: string, dirs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of dirs.flatMap((dir) => listFiles(join(root, dir))).sort()) {
    hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

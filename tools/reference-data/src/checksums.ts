import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ORY_REFERENCE_DIR } from './ory-reference';

const NOT_DATA = new Set(['NOTICE.md', 'SHA256SUMS']);

/** Files of the reference data whose content differs from `SHA256SUMS`, is missing, or is not listed there. */
export function referenceDataMismatches(dir = ORY_REFERENCE_DIR): string[] {
  const expected = new Map(
    readFileSync(join(dir, 'SHA256SUMS'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sum = '', path = ''] = line.split(/\s+/, 2);
        return [path.replace(/^\.\//, ''), sum] as const;
      }),
  );
  const actual = new Map(dataFiles(dir).map((path) => [path, createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')]));
  const problems: string[] = [];
  for (const [path, sum] of expected) {
    if (!actual.has(path)) problems.push(`${path}: listed in SHA256SUMS but missing`);
    else if (actual.get(path) !== sum) problems.push(`${path}: content differs from SHA256SUMS`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) problems.push(`${path}: not listed in SHA256SUMS`);
  return problems;
}

function dataFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dataFiles(root, path);
    const rel = relative(root, path);
    return NOT_DATA.has(rel) ? [] : [rel];
  });
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_TARGETS, WORKSPACE_WIDE_TARGETS } from '../src';

const ROOT = resolve(__dirname, '../../..');
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

/** The npm workspaces' folders (`packages/*` gives `packages`). */
const workspaceFolders: string[] = (readJson('package.json').workspaces as string[]).map((glob) => glob.replace(/\/\*$/, ''));
/** Every project folder: a workspace folder's sub-folder with a package.json. */
const projects = workspaceFolders.flatMap((folder) => readdirSync(join(ROOT, folder)).filter((dir) => existsSync(join(ROOT, folder, dir, 'package.json'))).map((dir) => `${folder}/${dir}`));
const targets = readJson('tools/workspace/package.json').nx.targets as Record<string, { command: string; options: { cwd: string } }>;

describe('the test command type-checks and lints every project in one process each', () => {
  it('runs the workspace-wide targets in place of the per-project ones', () => {
    for (const [perProject, wide] of Object.entries(WORKSPACE_WIDE_TARGETS)) {
      expect(TEST_TARGETS).toContain(wide);
      expect(TEST_TARGETS).not.toContain(perProject);
      expect(targets[wide]?.options.cwd).toBe('{workspaceRoot}');
    }
  });

  it('type-checks what every project\'s `typecheck` does: `tsc --build --emitDeclarationOnly` on a root tsconfig.json that references every project', () => {
    expect(targets['typecheck-workspace']?.command).toBe('tsc --build tsconfig.json --emitDeclarationOnly');
    const references = (readJson('tsconfig.json').references as Array<{ path: string }>).map((reference) => reference.path.replace(/^\.\//, ''));
    expect(projects.length).toBeGreaterThan(20);
    expect([...references].sort()).toEqual(projects.filter((project) => existsSync(join(ROOT, project, 'tsconfig.json'))).sort());
  });

  it('lints every project\'s folder with the shared configuration and no warning allowed', () => {
    expect(targets['lint-workspace']?.command).toBe(`eslint --max-warnings=0 ${workspaceFolders.join(' ')}`);
    expect(readdirSync(ROOT).filter((file) => /^eslint\.config\./.test(file))).toEqual(['eslint.config.mjs']);
    for (const project of projects) expect(readdirSync(join(ROOT, project)).filter((file) => /^\.?eslint/.test(file)), project).toEqual([]);
  });
});

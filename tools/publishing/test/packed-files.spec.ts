import { describe, expect, it } from 'vitest';
import { forbiddenFileProblems, sourceMapProblems, sourceOf, staleBuildProblems } from '../src';
import { packed, wellFormedContents } from './packed-package';

describe('forbiddenFileProblems', () => {
  it('accepts compiled output, sources, the README and the manifest', () => {
    expect(forbiddenFileProblems(Object.keys(wellFormedContents()))).toEqual([]);
  });

  it.each([
    ['test/stack.spec.ts', 'a test folder'],
    ['src/stack.spec.ts', 'a test file'],
    ['dist/stack.test.js', 'a test file'],
    ['src/__snapshots__/stack.spec.ts.snap', 'a snapshot or fixture'],
    ['fixtures/config.json', 'a snapshot or fixture'],
    ['dist/tsconfig.lib.tsbuildinfo', 'TypeScript build info'],
    ['out-tsc/vitest/vitest.config.d.ts', 'type-check output'],
    ['tsconfig.lib.json', 'a development config file'],
    ['vitest.config.mts', 'a development config file'],
    ['.npmrc', 'a development config file'],
  ])('rejects %s (%s)', (file, what) => {
    expect(forbiddenFileProblems(['dist/index.js', file])).toEqual([`ships ${file} (${what})`]);
  });
});

describe('sourceMapProblems', () => {
  it('accepts a declaration map whose source is shipped', () => {
    expect(sourceMapProblems(packed(wellFormedContents()))).toEqual([]);
  });

  it('reports a declaration map whose source is not shipped', () => {
    const contents = wellFormedContents();
    delete contents['src/index.ts'];
    expect(sourceMapProblems(packed(contents))).toEqual(['dist/index.d.ts.map points at src/index.ts, which is not in the package']);
  });

  it('resolves sources against the sourceRoot', () => {
    const contents = { ...wellFormedContents(), 'dist/a.js.map': JSON.stringify({ sources: ['index.ts'], sourceRoot: '../lib' }) };
    expect(sourceMapProblems(packed(contents))).toEqual(['dist/a.js.map points at lib/index.ts, which is not in the package']);
  });
});

describe('staleBuildProblems', () => {
  it('maps compiled files to their sources', () => {
    expect(sourceOf('dist/a/b.js')).toBe('src/a/b.ts');
    expect(sourceOf('dist/a/b.d.ts')).toBe('src/a/b.ts');
    expect(sourceOf('dist/a/b.d.ts.map')).toBeUndefined();
  });

  it('reports compiled files left over from a deleted source', () => {
    const files = [...Object.keys(wellFormedContents()), 'dist/removed.js', 'dist/removed.d.ts'].sort();
    expect(staleBuildProblems(files)).toEqual([
      'ships dist/removed.d.ts, whose source src/removed.ts does not exist (stale build output: clean dist/ and rebuild)',
      'ships dist/removed.js, whose source src/removed.ts does not exist (stale build output: clean dist/ and rebuild)',
    ]);
  });

  it('accepts a build that matches its sources', () => {
    expect(staleBuildProblems(Object.keys(wellFormedContents()))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { dependencyProblems, packageNameOf, requiredPackages } from '../src';
import { manifest, packed, wellFormedContents } from './packed-package';

describe('packageNameOf', () => {
  it.each([
    ['@cdktf/provider-aws/lib/vpc', '@cdktf/provider-aws'],
    ['yaml/util', 'yaml'],
    ['pg', 'pg'],
    ['./cidr', undefined],
    ['node:fs', undefined],
    ['crypto', undefined],
  ])('%s -> %s', (specifier, name) => {
    expect(packageNameOf(specifier)).toBe(name);
  });
});

describe('dependencyProblems', () => {
  it('finds the packages compiled code requires, ignoring builtins', () => {
    expect([...requiredPackages(packed(wellFormedContents()))]).toEqual(['cdktf']);
  });

  it('accepts singletons declared as peer dependencies', () => {
    expect(dependencyProblems(manifest(), packed(wellFormedContents()))).toEqual([]);
  });

  it('reports a required package that is not declared (it would only install inside the monorepo)', () => {
    const contents = { ...wellFormedContents(), 'dist/db.js': 'const pg_1 = require("pg");' };
    expect(dependencyProblems(manifest(), packed(contents))).toEqual(['requires pg but does not list it in "dependencies"']);
  });

  it('reports a provider that is required but not a peer dependency', () => {
    const contents = { ...wellFormedContents(), 'dist/vpc.js': 'const vpc_1 = require("@cdktf/provider-aws/lib/vpc");' };
    expect(dependencyProblems(manifest({ dependencies: { '@cdktf/provider-aws': '20.1.0' } }), packed(contents))).toEqual([
      'requires @cdktf/provider-aws but does not list it in "peerDependencies"',
      'lists @cdktf/provider-aws in "dependencies"; it must be a peer dependency (one copy per app)',
    ]);
  });
});

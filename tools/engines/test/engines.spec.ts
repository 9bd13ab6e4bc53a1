import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { satisfies } from 'semver';
import { describe, expect, it } from 'vitest';
import { ENGINES, ENGINE_OVERRIDES, engineNamed, engineOfManifest, engineOfSpec, engineSpec, otherEngines } from '../src';

const ROOT = resolve(__dirname, '../../..');
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the supported engines', () => {
  it('are cdktf 0.21.0 and CDK Terrain 0.24.0, each installed under the name cdktf', () => {
    expect(ENGINES.map(engineSpec)).toEqual(['0.21.0', 'npm:cdktn@0.24.0']);
    for (const candidate of ENGINES) expect(engineOfSpec(engineSpec(candidate))).toBe(candidate);
  });

  it('names the supported specs when the root asks for another', () => {
    expect(() => engineOfSpec('^0.21.0')).toThrow('The root package.json\'s dependency "cdktf" is "^0.21.0"; a supported engine is "0.21.0" or "npm:cdktn@0.24.0".');
    expect(() => engineOfSpec('npm:cdktn@0.23.0')).toThrow(/is "npm:cdktn@0.23.0"/);
    expect(() => engineOfSpec(undefined)).toThrow(/"cdktf" is missing/);
  });

  it('needs the override that keeps one copy, on either engine', () => {
    expect(engineOfManifest({ dependencies: { cdktf: 'npm:cdktn@0.24.0' }, overrides: { ...ENGINE_OVERRIDES } })).toBe(engineNamed('cdktn'));
    expect(() => engineOfManifest({ dependencies: { cdktf: 'npm:cdktn@0.24.0' } })).toThrow(/"overrides" must map "cdktf" to "\$cdktf" \(got undefined\)/);
    expect(() => engineOfManifest({ dependencies: { cdktf: '0.21.0' }, overrides: { cdktf: '0.21.0' } })).toThrow(/got "0.21.0"/);
  });

  it('the other engine of each is the rest', () => {
    expect(otherEngines(engineNamed('cdktf'))).toEqual([engineNamed('cdktn')]);
    expect(otherEngines(engineNamed('cdktn'))).toEqual([engineNamed('cdktf')]);
  });
});

describe('the workspace', () => {
  it('runs on cdktf 0.21.0 by default, chosen by its one "cdktf" dependency, with the override', () => {
    expect(engineOfManifest(rootManifest)).toBe(engineNamed('cdktf'));
  });

  it('pins a constructs that every supported engine accepts, so switching needs no other change', () => {
    const constructs = rootManifest.dependencies.constructs as string;
    for (const candidate of ENGINES) expect(satisfies(constructs, candidate.constructsRange), `${candidate.name} needs constructs ${candidate.constructsRange}`).toBe(true);
  });
});

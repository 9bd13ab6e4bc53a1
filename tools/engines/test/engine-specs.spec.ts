import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESS_FIXTURES, constructPackages, engineSpecSelection, isEngineModule } from '../src';

const ROOT = resolve(__dirname, '../../..');
const packages = readdirSync(join(ROOT, 'packages')).map((name) => `packages/${name}`);

describe('the specs the other engine runs', () => {
  const construct = constructPackages({ dir: ROOT, projects: packages });

  it('cover every construct package, each with at least one spec', () => {
    expect(construct).toEqual(expect.arrayContaining(['packages/cockroach', 'packages/core', 'packages/eks', 'packages/network', 'packages/ory', 'packages/policy', 'packages/state']));
    for (const project of construct) expect(engineSpecSelection(join(ROOT, project), isEngineModule).run.length, project).toBeGreaterThan(0);
  });

  it('leave out only the cockroach specs that run the commands and node scripts against stubs', () => {
    const skipped = construct.flatMap((project) => engineSpecSelection(join(ROOT, project), isEngineModule).skipped.map((spec) => `${project}/${spec}`));
    expect(skipped).toEqual(
      [
        'decommission-region',
        'multi-region-nodes',
        'node-scripts',
        'operations-identity',
        'region-convergence',
        'regions-command',
        'rendered-scripts',
        'renew-command',
        'renew-regions-command',
        'renewal-regions',
        'restore-command',
        'roll-command',
        'roll-regions',
        'shellcheck',
        'stub-behaviours',
        'synthesis-configuration',
      ].map((name) => `packages/cockroach/test/${name}.spec.ts`),
    );
    const cockroach = engineSpecSelection(join(ROOT, 'packages/cockroach'), isEngineModule);
    expect(cockroach.run).toEqual(expect.arrayContaining(['test/cockroach-stack.spec.ts', 'test/pki-stack.spec.ts', 'test/backup-stack.spec.ts', 'test/cockroach-day2.spec.ts']));
  });

  it('keep a spec that imports an engine module itself, even beside a process fixture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-specs-'));
    try {
      mkdirSync(join(dir, 'test', 'nested'), { recursive: true });
      writeFileSync(join(dir, 'test', 'process.spec.ts'), `import { RollWorld } from '${PROCESS_FIXTURES[0]}';\n`);
      writeFileSync(join(dir, 'test', 'both.spec.ts'), `import { Testing } from 'cdktf';\nimport { RollWorld } from '${PROCESS_FIXTURES[0]}';\n`);
      writeFileSync(join(dir, 'test', 'nested', 'stack.spec.ts'), `import { Vpc } from '@cdktf/provider-aws/lib/vpc';\n`);
      writeFileSync(join(dir, 'test', 'helper.ts'), `import { RollWorld } from '${PROCESS_FIXTURES[0]}';\n`);
      expect(engineSpecSelection(dir, isEngineModule)).toEqual({ run: ['test/both.spec.ts', 'test/nested/stack.spec.ts'], skipped: ['test/process.spec.ts'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

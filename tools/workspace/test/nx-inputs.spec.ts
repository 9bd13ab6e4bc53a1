import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TaskInputs, nxTaskInputs } from '../src';

const ROOT = resolve(__dirname, '../../..');
const CONFIG_INPUT = 'apps/us-east-1/src/config-input.ts';
const TOOLS_INPUT = 'tools/workspace/src/main-fingerprint.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = join(ROOT, dir, entry);
    return statSync(path).isDirectory() ? filesUnder(relative(ROOT, path)) : [relative(ROOT, path)];
  });
}

const TARGETS = ['@crdb-ory/ory:test', '@crdb-ory/verify:test', '@crdb-ory/us-east-1:synth', '@crdb-ory/multi-region:synth', '@crdb-ory/us-east-1:review', '@crdb-ory/publishing:e2e-registry', '@crdb-ory/us-east-1:test', '@crdb-ory/workspace:test', '@crdb-ory/workspace:clean-checkout'] as const;
const resolvedInputs = new Map<string, TaskInputs>();
const inputs = {
  get(target: string): TaskInputs {
    const task = resolvedInputs.get(target);
    if (!task) throw new Error(`no inputs resolved for ${target}`);
    return task;
  },
};
beforeAll(async () => {
  const resolved = await Promise.all(TARGETS.map((target) => nxTaskInputs(ROOT, target)));
  TARGETS.forEach((target, i) => resolvedInputs.set(target, resolved[i] as TaskInputs));
}, 120_000);

describe('Nx task inputs: what changes a task\'s output is part of its cache key', () => {
  it('the Ory reference data is an input of the ory and verify tests, every file of it', () => {
    const data = filesUnder('tools/reference-data/ory');
    expect(data.length).toBeGreaterThan(10);
    for (const target of ['@crdb-ory/ory:test', '@crdb-ory/verify:test']) expect(inputs.get(target).files).toEqual(expect.arrayContaining(data));
  });

  it('the config file content (not only CRDB_ORY_CONFIG) is an input of synth and review', () => {
    for (const target of ['@crdb-ory/us-east-1:synth', '@crdb-ory/us-east-1:review']) {
      const task = inputs.get(target);
      expect(task.environment).toContain('CRDB_ORY_CONFIG');
      expect(task.runtime.some((command) => command.includes(CONFIG_INPUT))).toBe(true);
      // The loader the command runs with, and every stack's sources.
      expect(task.files).toEqual(expect.arrayContaining(['tools/workspace/register.cjs', 'packages/network/src/network-stack.ts', 'apps/us-east-1/src/main.ts']));
    }
    const multiRegion = inputs.get('@crdb-ory/multi-region:synth');
    expect(multiRegion.environment).toContain('CRDB_ORY_CONFIG');
    expect(multiRegion.runtime.some((command) => command.includes(CONFIG_INPUT))).toBe(true);
    expect(multiRegion.files).toEqual(expect.arrayContaining(['tools/workspace/register.cjs', 'packages/network/src/network-stack.ts', 'tools/deployment/src/config/rules.ts', 'apps/multi-region/src/main.ts']));
  });

  it('the installed tools (terraform, the provider mirror, shellcheck, openssl) are inputs of the review, the e2e and every test', () => {
    // Every test target takes the same default inputs (nx.json targetDefaults.test): one of them stands for all.
    for (const target of ['@crdb-ory/us-east-1:review', '@crdb-ory/publishing:e2e-registry', '@crdb-ory/ory:test', '@crdb-ory/verify:test']) {
      expect(inputs.get(target).runtime.some((command) => command.includes(TOOLS_INPUT)), target).toBe(true);
    }
    expect(inputs.get('@crdb-ory/us-east-1:review').files).toEqual(expect.arrayContaining(['tools/review/src/report.ts', 'tools/terraform-harness/src/provider-mirror.ts']));
  });

  it('the documents the tests hold to the code are inputs of those tests', () => {
    const documents = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'LICENSE', ...filesUnder('docs')];
    for (const target of ['@crdb-ory/us-east-1:test', '@crdb-ory/workspace:test']) {
      expect(inputs.get(target).files).toEqual(expect.arrayContaining(documents));
      // ... on top of what every test target takes.
      expect(inputs.get(target).runtime.some((command) => command.includes(TOOLS_INPUT)), target).toBe(true);
    }
  });

  it('the clean-checkout run of every shipped command depends on every file of the tree', () => {
    expect(inputs.get('@crdb-ory/workspace:clean-checkout').files).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'packages/verify/bin/crdb-ory-verify.js', 'packages/core/src/contract.ts', 'tools/workspace/run-source.cjs', 'scripts/bench-synth.mjs', 'cdktf.json']));
  });

  it('the e2e covers every published package\'s sources and the consumer fixture', () => {
    const e2e = inputs.get('@crdb-ory/publishing:e2e-registry');
    expect(e2e.files).toEqual(expect.arrayContaining(['packages/verify/bin/crdb-ory-verify.js', 'packages/core/src/index.ts', 'packages/ory/package.json']));
    expect(e2e.runtime.some((command) => command.includes('tools/publishing/fixtures'))).toBe(true);
  });
});

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nxTaskInputs } from '@crdb-ory/workspace';
import { workspaceFiles } from '../src';

const ROOT = resolve(__dirname, '../../..');

describe('the engine-equivalence target\'s cache inputs', () => {
  it('cover every file the scratch copy holds, the lock file and the installed tools', async () => {
    const inputs = await nxTaskInputs(ROOT, '@crdb-ory/engines:engine-equivalence');
    const copied = workspaceFiles(ROOT);
    expect(copied.length).toBeGreaterThan(300);
    expect(inputs.files).toEqual(expect.arrayContaining([...copied, 'package.json', 'package-lock.json']));
    expect(inputs.environment).toContain('CI');
    expect(inputs.runtime.some((command) => command.includes('tools/workspace/src/main-fingerprint.ts'))).toBe(true);
  }, 120_000);
});

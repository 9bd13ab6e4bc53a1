import { readStackDir } from '@crdb-ory/cockroach/ops';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, runMainWith, stackJson, tempDir, withOperatorAccess } from './helpers';

describe('what a synthesis records about its configuration', () => {
  it('cdktf.out says which configuration its stacks came from, and roll/restore accept them only under that configuration', () => {
    const dir = tempDir('record');
    const configFile = join(dir, 'staging.json');
    const text = JSON.stringify(withOperatorAccess({ namePrefix: 'staging' }));
    writeFileSync(configFile, text);
    const outdir = join(dir, 'cdktf.out');
    const { status, stderr } = runMainWith({ CRDB_ORY_CONFIG: configFile }, outdir);
    expect(status, stderr).toBe(0);
    const expected = { source: 'staging.json (outside the project) (named by CRDB_ORY_CONFIG)', sha256: createHash('sha256').update(text).digest('hex') };
    expect(JSON.parse(readFileSync(join(outdir, 'configuration.json'), 'utf8'))).toEqual(expected);
    // Not in the stacks' JSON: a configuration change that leaves a stack alone leaves its cdk.tf.json alone.
    expect(JSON.stringify(stackJson(outdir, 'cockroach'))).not.toContain(expected.sha256);

    // The operations commands compute the current configuration with the same shared piece.
    const stackDir = join(outdir, 'stacks', 'cockroach');
    expect(readStackDir(stackDir, { CRDB_ORY_CONFIG: configFile }, WORKSPACE_ROOT).region).toBe('us-east-1');
    // The same bytes under another name are the same configuration.
    const copy = join(dir, 'copy.json');
    writeFileSync(copy, text);
    expect(() => readStackDir(stackDir, { CRDB_ORY_CONFIG: copy }, WORKSPACE_ROOT)).not.toThrow();
    writeFileSync(copy, text.replace('staging', 'prod'));
    expect(() => readStackDir(stackDir, { CRDB_ORY_CONFIG: copy }, WORKSPACE_ROOT)).toThrow(/cockroach was synthesized from staging\.json \(outside the project\) \(named by CRDB_ORY_CONFIG\), sha256 [0-9a-f]{12}, but the configuration now is copy\.json/);
    expect(() => readStackDir(stackDir, {}, dir)).toThrow(/but the configuration now is the defaults \(no CRDB_ORY_CONFIG, no crdb-ory\.config\.json\): run `npm run synth`/);
  });
});

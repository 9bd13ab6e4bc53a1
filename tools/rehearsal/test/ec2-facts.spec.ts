import { EC2_FACTS_FILE } from '@crdb-ory/core';
import { referenceDataMismatches } from '@crdb-ory/reference-data';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoPython } from '../src';

/**
 * The EC2 facts the configuration rules read (packages/core/src/aws-ec2-data) are exactly what the
 * moto that runs the rehearsal ships: regenerated here by their script, and pinned by SHA256SUMS.
 */
const SCRIPT = join(dirname(EC2_FACTS_FILE), '..', '..', 'scripts', 'generate-aws-ec2-facts.py');

describe('the vendored EC2 facts', () => {
  it('are what their script derives from the installed moto', () => {
    const result = spawnSync(motoPython(), [SCRIPT], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(readFileSync(EC2_FACTS_FILE, 'utf8'));
  }, 90_000);

  it('are every file SHA256SUMS lists, unchanged', () => {
    expect(referenceDataMismatches(dirname(EC2_FACTS_FILE))).toEqual([]);
  });
});

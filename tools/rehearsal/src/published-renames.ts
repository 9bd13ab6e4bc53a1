import { join } from 'node:path';
import { parsePublishedParameterName } from '@crdb-ory/core';
import type { StackJson } from './emulator-overrides';
import { runPython } from './python';
import type { TerraformSetup } from './terraform-steps';

const COPY_PARAMETERS = join(__dirname, '..', 'moto', 'copy_parameters.py');

/**
 * The published parameters (core's ssm-parameters channel) a changed stack reads under another
 * name than the rehearsed one, `[rehearsed, changed]`: a renamed prefix moves every
 * `/<prefix>/<stack>/<output>`. The downstream plan needs them to exist: in a real move the
 * upstream stack is applied first and publishes them.
 */
export function renamedPublishedReads(changed: StackJson, rehearsed: StackJson): Array<[string, string]> {
  const reads = (stack: StackJson) => (stack['data']?.['aws_ssm_parameter'] ?? {}) as Record<string, { name?: string }>;
  const before = reads(rehearsed);
  return Object.entries(reads(changed)).flatMap(([id, read]) => {
    const was = before[id]?.name;
    return read.name && was && was !== read.name && parsePublishedParameterName(read.name) ? [[was, read.name] as [string, string]] : [];
  });
}

/** Writes each rehearsed parameter's value under its changed name in the emulator (what the upstream's apply would publish, with the rehearsed values). */
export async function publishUnderNewNames(pairs: ReadonlyArray<[string, string]>, endpoint: string, region: string, setup: TerraformSetup): Promise<void> {
  if (pairs.length === 0) return;
  const result = await runPython([COPY_PARAMETERS, endpoint, region, ...pairs.flat()], { ...process.env, AWS_CA_BUNDLE: setup.env['AWS_CA_BUNDLE'] }, 120_000);
  if (result.status !== 0) throw new Error(`publishing ${pairs.length} parameters under their new names failed: ${result.stderr}`);
}

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { motoPython } from './python';
import type { TerraformSetup } from './terraform-steps';
import { runTerraform } from '@crdb-ory/terraform-harness';

const EMPTY_BUCKET = join(__dirname, '..', 'moto', 'empty_bucket.py');

/** Empties the bucket the state stack created (its `bucket_name` output) in the emulator. */
export async function emptyBucket(stateStackDir: string, endpoint: string, setup: TerraformSetup): Promise<{ bucket: string; deleted: number }> {
  const outputs = runTerraform(['output', '-json'], { cwd: stateStackDir, cliConfigFile: setup.cliConfigFile, env: setup.env });
  if (!outputs.ok) throw new Error(`terraform output in ${stateStackDir} failed: ${outputs.output}`);
  const values = JSON.parse(outputs.output.slice(outputs.output.indexOf('{'))) as Record<string, { value: unknown }>;
  const bucket = Object.entries(values).find(([name]) => /bucket.?name/i.test(name))?.[1].value;
  if (typeof bucket !== 'string') throw new Error(`the state stack has no bucket name output (outputs: ${Object.keys(values).join(', ')})`);
  const result = spawnSync(motoPython(), [EMPTY_BUCKET, endpoint, bucket], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, AWS_CA_BUNDLE: setup.env['AWS_CA_BUNDLE'] } });
  if (result.status !== 0) throw new Error(`emptying ${bucket} failed: ${result.stderr}`);
  return { bucket, deleted: Number(result.stdout.trim()) };
}

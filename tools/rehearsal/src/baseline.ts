import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackJson } from './emulator-overrides';

/** The stacks `main` deployed before this version (tools/rehearsal/baseline/README.md). */
export const BASELINE_DIR = join(__dirname, '..', 'baseline');

/** The commit the baseline stacks were synthesized from. */
export function baselineCommit(): string {
  return readFileSync(join(BASELINE_DIR, 'COMMIT'), 'utf8').trim();
}

/** One baseline stack, as that commit synthesized it from the rehearsal configuration. */
export function readBaselineStack(stack: string): StackJson {
  return JSON.parse(readFileSync(join(BASELINE_DIR, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;
}

import { type SynthesizedStackJson, readCdktfManifest, readManifestStackJson } from '@crdb-ory/core';
import { join } from 'node:path';

/** One stack to tear down: its name, the stacks it depends on, its Terraform JSON and working folder. */
export interface TeardownStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  /** The configuration Terraform applies in `dir` (the synthesized `cdk.tf.json`). */
  readonly json: SynthesizedStackJson;
  /** The stack's working folder (`cdktf.out/stacks/<name>`): where `terraform` runs. */
  readonly dir: string;
}

/** Every stack of a synthesis output folder (`npm run synth`'s `cdktf.out`), from its manifest. */
export function readTeardownInput(outdir: string): TeardownStack[] {
  const manifest = readCdktfManifest(outdir);
  return Object.values(manifest.stacks).map((stack) => ({
    name: stack.name,
    dependencies: stack.dependencies,
    json: readManifestStackJson(outdir, stack),
    dir: join(outdir, stack.workingDirectory),
  }));
}

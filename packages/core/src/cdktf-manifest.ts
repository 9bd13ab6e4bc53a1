import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStackJson } from './stack-review';

/** `manifest.json`, the file cdktf writes next to `stacks/` on synthesis (cdktf's lib/manifest.ts). */
export const CDKTF_MANIFEST_FILE = 'manifest.json';

/** One annotation a construct added (`Annotations.of(...).addWarning`), as the manifest holds it. */
export interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

/** One stack of the manifest: where its files are, and the stacks it depends on. */
export interface ManifestStack {
  readonly name: string;
  /** Relative to the output folder, e.g. `stacks/network`. */
  readonly workingDirectory: string;
  /** Relative to the output folder, e.g. `stacks/network/cdk.tf.json`. */
  readonly synthesizedStackPath: string;
  /** Names of the stacks this one depends on (what `cdktf deploy '*'` deploys first). */
  readonly dependencies: readonly string[];
  readonly annotations: readonly ManifestAnnotation[];
}

export interface CdktfManifest {
  readonly stacks: Readonly<Record<string, ManifestStack>>;
}

/** The parsed `<outdir>/manifest.json` as cdktf wrote it (for byte-level comparisons); a clear error when there is none (nothing synthesized there). */
export function readCdktfManifestJson(outdir: string): unknown {
  const file = join(outdir, CDKTF_MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`no ${CDKTF_MANIFEST_FILE} in ${outdir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): synthesize first (npm run synth)`);
  }
  return JSON.parse(text) as unknown;
}

/** The stacks of a parsed manifest, each with its defaults filled in. */
export function cdktfManifestOf(json: unknown): CdktfManifest {
  const manifest = json as { stacks?: Record<string, Partial<ManifestStack>> };
  const stacks = Object.fromEntries(
    Object.entries(manifest.stacks ?? {}).map(([name, stack]) => [
      name,
      {
        name,
        workingDirectory: stack.workingDirectory ?? join('stacks', name),
        synthesizedStackPath: stack.synthesizedStackPath ?? join('stacks', name, 'cdk.tf.json'),
        dependencies: stack.dependencies ?? [],
        annotations: stack.annotations ?? [],
      },
    ]),
  );
  return { stacks };
}

/** Reads `<outdir>/manifest.json`: the one reader of cdktf's manifest. */
export function readCdktfManifest(outdir: string): CdktfManifest {
  return cdktfManifestOf(readCdktfManifestJson(outdir));
}

/** The synthesized Terraform JSON of one stack of the manifest. */
export function readManifestStackJson(outdir: string, stack: ManifestStack): SynthesizedStackJson {
  return JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8')) as SynthesizedStackJson;
}

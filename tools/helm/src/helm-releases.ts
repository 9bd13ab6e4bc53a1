import type { SynthesizedStackJson } from '@crdb-ory/core';
import { StandInOptions, resolveTerraformString } from './terraform-stand-ins';

/** A `helm_release` of a synthesized stack, with its values exactly as synthesized and with stand-ins. */
export interface SynthesizedHelmRelease {
  /** `helm_release.<name>` */
  readonly address: string;
  /** Helm release name. */
  readonly name: string;
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  /** The namespace, references replaced by stand-ins. */
  readonly namespace: string;
  /** The `values` strings exactly as in the JSON. */
  readonly rawValues: readonly string[];
  /** The `values` strings with every Terraform reference replaced by its stand-in. */
  readonly values: readonly string[];
}

/**
 * Every `helm_release` of the stack. `set`, `set_list` and `set_sensitive` are refused rather
 * than ignored: rendering without them would not be what the stack deploys.
 */
export function synthesizedHelmReleases(stack: SynthesizedStackJson, options: StandInOptions): SynthesizedHelmRelease[] {
  return Object.entries(stack.resource?.['helm_release'] ?? {}).map(([name, release]) => {
    const address = `helm_release.${name}`;
    for (const key of ['set', 'set_list', 'set_sensitive', 'postrender']) {
      if (release[key] !== undefined) throw new Error(`${address} uses ${key}, which the offline rendering does not support.`);
    }
    const rawValues = (release['values'] as string[] | undefined) ?? [];
    const resolve = (text: string) => {
      try {
        return resolveTerraformString(text, stack, options);
      } catch (error) {
        throw new Error(`${address}: ${(error as Error).message}`);
      }
    };
    return {
      address,
      name: String(release['name']),
      chart: String(release['chart']),
      repository: String(release['repository'] ?? ''),
      version: String(release['version'] ?? ''),
      namespace: resolve(String(release['namespace'] ?? 'default')),
      rawValues,
      values: rawValues.map(resolve),
    };
  });
}

import type { StackCheck, StackCheckResult, SynthesizedStackJson } from '@crdb-ory/core';
import { helmLint, helmTemplate, helmVersion } from './helm-cli';
import { SynthesizedHelmRelease, synthesizedHelmReleases } from './helm-releases';
import type { StandInOptions } from './terraform-stand-ins';

export interface HelmReleasesCheckOptions extends StandInOptions {
  /** The chart package of a release (same chart, version and repository), or undefined when it is not available here. */
  readonly chartPackage: (release: SynthesizedHelmRelease) => string | undefined;
  /** `.Capabilities.KubeVersion` of the templates. @default Helm's own default */
  readonly kubeVersion?: string;
}

/**
 * A review check that renders every `helm_release` of a stack with `helm template` and lints it
 * with `helm lint --strict`, exactly with the synthesized values (Terraform references replaced by
 * stand-ins). A release whose chart is not available here is named as not rendered, never
 * counted as rendered; a template error or a lint error fails the check.
 */
export function helmReleasesCheck(options: HelmReleasesCheckOptions): StackCheck {
  return {
    name: 'helm',
    async run(stack: SynthesizedStackJson): Promise<StackCheckResult> {
      const releases = synthesizedHelmReleases(stack, options);
      const version = await helmVersion();
      const results = await Promise.all(releases.map((release) => renderOne(release, options)));
      const rendered = results.filter((r) => r.manifests !== undefined);
      const manifests = rendered.reduce((sum, r) => sum + (r.manifests ?? 0), 0);
      const failures = results.flatMap((r) => r.failures);
      const skipped = results.filter((r) => r.manifests === undefined && r.failures.length === 0).map((r) => r.note);
      const of = rendered.length === releases.length ? `${releases.length} releases` : `${rendered.length} of ${releases.length} releases`;
      return {
        ok: failures.length === 0,
        summary: `rendered by Helm ${version.replace(/^v/, '')}: ${of}, ${manifests} manifests, ${failures.length === 0 ? 'lint clean' : `${failures.length} problem(s)`}`,
        details: [...failures, ...skipped],
      };
    },
  };
}

async function renderOne(release: SynthesizedHelmRelease, options: HelmReleasesCheckOptions): Promise<{ manifests?: number; failures: string[]; note: string }> {
  const label = `${release.address} (${release.chart} ${release.version} from ${release.repository})`;
  const chart = options.chartPackage(release);
  if (!chart) return { failures: [], note: `${label}: not rendered, its chart package is not available here` };
  const input = { chart, releaseName: release.name, namespace: release.namespace, values: release.values, ...(options.kubeVersion ? { kubeVersion: options.kubeVersion } : {}) };
  try {
    const [template, lint] = await Promise.all([helmTemplate(input), helmLint(input)]);
    const lintProblems = lint.messages.filter((m) => !m.startsWith('[INFO]'));
    const failures = lint.ok && lintProblems.length === 0 ? [] : [`${label}: helm lint --strict: ${lintProblems.join('; ') || lint.output.trim().split('\n').slice(-3).join(' ')}`];
    return { manifests: template.manifests.length, failures, note: `${label}: ${template.manifests.length} manifests` };
  } catch (error) {
    return { failures: [`${label}: ${(error as Error).message.split('\n').slice(0, 4).join(' ')}`], note: label };
  }
}

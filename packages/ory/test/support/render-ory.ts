import type { OutputsContract } from '@crdb-ory/core';
import { ComputedStandIns, HelmLintResult, Manifest, SynthesizedHelmRelease, helmLint, helmTemplate, synthesizedHelmReleases, resolveTerraformString } from '@crdb-ory/helm';
import { ORY_REFERENCE_CHART_REPOSITORY, ORY_SERVICES, OryService, oryChartPackage } from '@crdb-ory/reference-data';
import { UPSTREAM_CONTRACTS } from './upstream-examples';

/** The EKS stack's default Kubernetes version: what `.Capabilities.KubeVersion` is on the real cluster. */
export const KUBE_VERSION = '1.35';

export interface RenderedRelease {
  readonly release: SynthesizedHelmRelease;
  /** Every manifest `helm template` rendered, hooks included (the migration job is a pre-install hook). */
  readonly manifests: readonly Manifest[];
  readonly lint: HelmLintResult;
}

/**
 * The chart package of a synthesized release from the reference data: the same chart, version
 * and repository, or an error (a release the test data cannot render must fail, never skip).
 */
export function referenceChartPackage(release: Pick<SynthesizedHelmRelease, 'address' | 'chart' | 'version' | 'repository'>): string {
  const service = ORY_SERVICES.find((candidate) => candidate === release.chart);
  const path = service && release.repository === ORY_REFERENCE_CHART_REPOSITORY ? oryChartPackage(service, release.version) : undefined;
  if (!path) {
    throw new Error(
      `${release.address}: no chart package for ${release.chart} ${release.version} from ${release.repository} in the reference data ` +
        `(it holds hydra, kratos and keto ${'0.62.1'} from ${ORY_REFERENCE_CHART_REPOSITORY}).`,
    );
  }
  return path;
}

/**
 * The Ory releases of a synthesized stack: its helm_release values with stand-ins, rendered and
 * linted by the real Helm on the real charts. `computed` replaces the default stand-ins of values
 * known only at apply time (e.g. what Secrets Manager returns); `contracts` the upstream contracts
 * (a region's stack of a multi-region app reads stacks of other names).
 */
export async function renderOryReleases(
  stack: Record<string, any>,
  computed?: ComputedStandIns,
  contracts: readonly OutputsContract[] = UPSTREAM_CONTRACTS,
): Promise<Record<OryService, RenderedRelease>> {
  const options = { contracts, ...(computed ? { computed } : {}) };
  const releases = synthesizedHelmReleases(stack, options).filter((r) => (ORY_SERVICES as readonly string[]).includes(r.chart));
  const rendered = await Promise.all(
    releases.map(async (release) => {
      const input = { chart: referenceChartPackage(release), releaseName: release.name, namespace: release.namespace, values: release.values, kubeVersion: KUBE_VERSION };
      const [template, lint] = await Promise.all([helmTemplate(input), helmLint(input)]);
      return [release.chart, { release, manifests: template.manifests, lint }] as const;
    }),
  );
  const byService = Object.fromEntries(rendered) as Record<OryService, RenderedRelease>;
  for (const service of ORY_SERVICES) if (!byService[service]) throw new Error(`The stack has no ${service} helm_release.`);
  return byService;
}

/** A value of the synthesized JSON with its Terraform references replaced by the same stand-ins as the Helm values. */
export function withStandIns(stack: Record<string, any>, text: string, computed?: ComputedStandIns, contracts: readonly OutputsContract[] = UPSTREAM_CONTRACTS): string {
  return resolveTerraformString(text, stack, { contracts, ...(computed ? { computed } : {}) });
}

import type { OutputsContract, StackCheck } from '@crdb-ory/core';
import { helmReleasesCheck } from '@crdb-ory/helm';
// The offline review is a proof step like the tests: it renders the charts from the repository's test data.
import { ORY_REFERENCE_CHART_REPOSITORY, ORY_SERVICES, OryService, oryChartPackage } from '@crdb-ory/reference-data';

/**
 * `helm template` / `helm lint` of a stack's releases whose chart packages are in the reference
 * data (Ory's hydra, kratos and keto 0.62.1 from Ory's repository). Other charts (the AWS Load
 * Balancer Controller) are reported as not rendered.
 */
export function referenceChartsHelmCheck(contracts: readonly OutputsContract[]): StackCheck {
  return helmReleasesCheck({
    contracts,
    chartPackage: (release) =>
      release.repository === ORY_REFERENCE_CHART_REPOSITORY && (ORY_SERVICES as readonly string[]).includes(release.chart)
        ? oryChartPackage(release.chart as OryService, release.version)
        : undefined,
  });
}

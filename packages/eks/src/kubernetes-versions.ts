import type { PropProblem } from '@crdb-ory/core';

/**
 * What happens when a Kubernetes version leaves EKS standard support (`upgrade_policy`):
 * `STANDARD` lets EKS upgrade the cluster to the next version; `EXTENDED` keeps the version for
 * up to 12 more months at the extended-support price (about 6x the control-plane fee).
 */
export type EksSupportType = 'STANDARD' | 'EXTENDED';
export const EKS_SUPPORT_TYPES: readonly EksSupportType[] = ['STANDARD', 'EXTENDED'];

/** One Kubernetes minor version on EKS, with the end dates of its support (ISO dates, UTC). */
export interface EksKubernetesVersion {
  readonly version: string;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
}

/**
 * The Kubernetes versions EKS supports, from the EKS version calendar
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), as of
 * `EKS_KUBERNETES_VERSIONS_REVIEWED_ON`. Keep it current: when EKS releases a version, add its
 * row (and consider moving the default); when a version's extended support ends, drop its row.
 */
export const EKS_KUBERNETES_VERSIONS: readonly EksKubernetesVersion[] = [
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
];

/** The date the table above was last checked against the EKS version calendar. */
export const EKS_KUBERNETES_VERSIONS_REVIEWED_ON = '2026-12-02';

/** The version new clusters get: the newest in standard support. */
export const EKS_DEFAULT_KUBERNETES_VERSION = '1.35';

/** Versions a cluster with `supportType` may run, as of the table's review date. */
export function eksKubernetesVersionsFor(supportType: EksSupportType): string[] {
  const reviewedOn = EKS_KUBERNETES_VERSIONS_REVIEWED_ON;
  return EKS_KUBERNETES_VERSIONS.filter((v) => (supportType === 'STANDARD' ? v.endOfStandardSupport : v.endOfExtendedSupport) > reviewedOn).map((v) => v.version);
}

/**
 * Why EKS would not run `version` under `supportType` (naming the allowed versions), under `prop`.
 * With `STANDARD`, a version past its standard support would be upgraded by EKS on its own (and
 * the Terraform plan would fight it), so it is refused too.
 */
export function eksKubernetesVersionProblems(version: string, supportType: EksSupportType = 'STANDARD', prop = 'kubernetesVersion'): PropProblem[] {
  const known = EKS_KUBERNETES_VERSIONS.find((v) => v.version === version);
  const allowed = eksKubernetesVersionsFor(supportType);
  const source = `EKS version calendar as of ${EKS_KUBERNETES_VERSIONS_REVIEWED_ON}`;
  if (!known) {
    return [{ prop, value: version, message: `Kubernetes version ${JSON.stringify(version)} is not supported by EKS; allowed with support type ${supportType}: ${allowed.join(', ')} (${source})` }];
  }
  if (!allowed.includes(version)) {
    return [
      {
        prop,
        value: version,
        message: `Kubernetes version ${version} left EKS standard support on ${known.endOfStandardSupport}: with support type STANDARD EKS upgrades it on its own; choose ${allowed.join(', ')}, or support type EXTENDED (billed extended support until ${known.endOfExtendedSupport}) (${source})`,
      },
    ];
  }
  return [];
}

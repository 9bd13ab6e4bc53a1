import type { PropProblem } from '@crdb-ory/core';

/** How long certificates live and when Terraform re-issues them (on the next apply in the window). */
export interface CertificateValidity {
  /** @default 87600 (10 years): the CA outlives many node/client rotations. */
  readonly caValidityHours?: number;
  /** @default 8760 (1 year) */
  readonly nodeValidityHours?: number;
  /** @default 8760 (1 year) */
  readonly clientValidityHours?: number;
  /**
   * Hours before expiry from which an apply re-issues a node or client certificate. The CA
   * uses the same window; re-issuing the CA re-issues everything.
   * @default 720 (30 days)
   */
  readonly earlyRenewalHours?: number;
}

export type ResolvedCertificateValidity = Required<CertificateValidity>;

export const DEFAULT_CERTIFICATE_VALIDITY: ResolvedCertificateValidity = {
  caValidityHours: 87600,
  nodeValidityHours: 8760,
  clientValidityHours: 8760,
  earlyRenewalHours: 720,
};

/** Fills the defaults of the periods not given. */
export function resolveCertificateValidity(input: CertificateValidity = {}): ResolvedCertificateValidity {
  return { ...DEFAULT_CERTIFICATE_VALIDITY, ...withoutUndefined(input) };
}

/** Every reason the periods (defaults filled) cannot work together, each under its prop (`nodeValidityHours`). */
export function certificateValidityProblems(input: CertificateValidity = {}): PropProblem[] {
  const v = resolveCertificateValidity(input);
  const problems: PropProblem[] = [];
  for (const [prop, hours] of Object.entries(v)) {
    if (!Number.isInteger(hours) || hours < 1) problems.push({ prop, value: hours, message: 'allowed: a whole number of hours >= 1' });
  }
  for (const key of ['nodeValidityHours', 'clientValidityHours'] as const) {
    if (v[key] > v.caValidityHours) problems.push({ prop: key, value: v[key], message: `must not exceed caValidityHours (${v.caValidityHours})` });
    if (v.earlyRenewalHours >= v[key]) problems.push({ prop: 'earlyRenewalHours', value: v.earlyRenewalHours, message: `must be below ${key} (${v[key]})` });
  }
  return problems;
}

function withoutUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

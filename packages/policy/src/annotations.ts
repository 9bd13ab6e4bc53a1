import { IConstruct } from 'constructs';

const SUPPRESSION = 'crdb-ory:policy-suppression';
const PUBLIC_INGRESS = 'crdb-ory:public-ingress';

/** Ports a construct may declare open to the internet: a load balancer's HTTP and HTTPS listeners. */
export const DECLARABLE_PUBLIC_PORTS: readonly number[] = [80, 443];

/** A recorded exception to a rule for a construct and everything under it. */
export interface Suppression {
  readonly ruleId: string;
  readonly constructPath: string;
  readonly reason: string;
}

/** Ports a construct (and everything under it) deliberately accepts from the internet. */
export interface PublicIngressDeclaration {
  readonly constructPath: string;
  readonly ports: readonly number[];
  readonly reason: string;
}

/**
 * Exempts `construct` and its children from rule `ruleId`. The suppression is listed in the
 * review report with its reason, so it is visible in every pull request.
 */
export function suppressRule(construct: IConstruct, ruleId: string, reason: string): void {
  if (!/^[A-Z]+(-[A-Z0-9]+)+$/.test(ruleId)) {
    throw new Error(`suppressRule: rule id "${ruleId}" is not a rule id (expected e.g. CRDB-SG-001).`);
  }
  requireReason('suppressRule', reason);
  construct.node.addMetadata(SUPPRESSION, { ruleId, reason });
}

/**
 * Declares that the security groups under `construct` admit the internet on `ports`
 * (a public load balancer's 80/443). Any other port stays a violation of CRDB-SG-001.
 */
export function declarePublicIngress(construct: IConstruct, ports: readonly number[], reason: string): void {
  const other = ports.filter((port) => !DECLARABLE_PUBLIC_PORTS.includes(port));
  if (other.length > 0 || ports.length === 0) {
    throw new Error(
      `declarePublicIngress: ports ${JSON.stringify(ports)} cannot be declared public; allowed: ${DECLARABLE_PUBLIC_PORTS.join(', ')} (a load balancer's listeners).`,
    );
  }
  requireReason('declarePublicIngress', reason);
  construct.node.addMetadata(PUBLIC_INGRESS, { ports: [...ports], reason });
}

export function suppressionsIn(root: IConstruct): Suppression[] {
  return metadataIn<{ ruleId: string; reason: string }>(root, SUPPRESSION).map(({ path, data }) => ({ constructPath: path, ...data }));
}

export function publicIngressIn(root: IConstruct): PublicIngressDeclaration[] {
  return metadataIn<{ ports: number[]; reason: string }>(root, PUBLIC_INGRESS).map(({ path, data }) => ({ constructPath: path, ...data }));
}

/** True when `path` is `ancestor` or below it. */
export function isUnder(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function metadataIn<T>(root: IConstruct, type: string): Array<{ path: string; data: T }> {
  return root.node
    .findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === type).map((entry) => ({ path: construct.node.path, data: entry.data as T })));
}

function requireReason(fn: string, reason: string): void {
  if (reason.trim().length < 10) {
    throw new Error(`${fn}: a reason of at least 10 characters is required (got "${reason}"); it is shown in the review report.`);
  }
}

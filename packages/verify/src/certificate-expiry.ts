import { X509Certificate } from 'node:crypto';
import { VerifyError } from './errors';

/** What a certificate is to the verifier; decides the advice when it expires soon. */
export type CertificateRole = 'server' | 'issuer' | 'client' | 'ca';

/** One certificate the verifier saw, and how long it stays valid. */
export interface CertificateFigure {
  /** Where it was seen: `sql <host>:<port>`, `https://<host>`, or the file it was read from. */
  readonly endpoint: string;
  readonly role: CertificateRole;
  readonly subject: string;
  readonly issuer: string;
  /** Server certificates: the names they carry (a node certificate names its node). */
  readonly subjectAltNames?: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** Whole days until `notAfter`, rounded down; negative once expired. */
  readonly daysLeft: number;
  readonly fingerprint256: string;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` until `notAfter`, rounded down (a certificate valid for 9.9 more days has 9 left). */
export function daysUntil(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** Every certificate of a PEM bundle (a CA file may hold several, e.g. old and new CA during a rotation). */
export function certificatesOfPem(pem: string | Buffer): X509Certificate[] {
  const blocks = String(pem).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/** The figure of one certificate, as seen at `endpoint` in `role`. */
export function certificateFigure(certificate: X509Certificate, endpoint: string, role: CertificateRole, now: Date): CertificateFigure {
  const notAfter = new Date(certificate.validTo);
  return {
    endpoint,
    role,
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    ...(role === 'server' && certificate.subjectAltName ? { subjectAltNames: certificate.subjectAltName } : {}),
    notAfter: notAfter.toISOString(),
    daysLeft: daysUntil(notAfter, now),
    fingerprint256: certificate.fingerprint256,
  };
}

/** A presented chain, leaf first: the leaf is the server's, the rest its issuers. */
export function chainFigures(chain: readonly X509Certificate[], endpoint: string, now: Date): CertificateFigure[] {
  return chain.map((certificate, position) => certificateFigure(certificate, endpoint, position === 0 ? 'server' : 'issuer', now));
}

/** `CN=a\nO=b` -> `CN=a, O=b`. */
function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}

/** Where the advice differs: the database's certificates, or an HTTPS API endpoint's. */
export type CertificateSource = 'database' | 'api';

const CAUSES: Record<CertificateSource, Record<CertificateRole, string>> = {
  database: {
    server: "the node certificate is due for renewal: apply cockroach-pki (it re-issues certificates within earlyRenewalHours of their expiry), then every node reloads its certificates (SIGHUP); if cockroach-pki was applied already, the node this connection reached did not reload (docs/cockroach.md, Certificates)",
    client: 'the client certificate is due for renewal: apply cockroach-pki, then fetch the renewed client secret into the certs dir again (docs/verify.md, Get the inputs)',
    issuer: 'the cluster CA expires: plan its rotation, every certificate is re-issued (docs/ory.md, CA rotation)',
    ca: 'the cluster CA expires: plan its rotation, every certificate is re-issued (docs/ory.md, CA rotation)',
  },
  api: {
    server: "the API endpoint's certificate is due for renewal: ACM renews DNS-validated certificates by itself while the validation CNAME records exist and the certificate is in use; check its renewal status in ACM",
    client: 'the client certificate is due for renewal',
    issuer: "an issuer in the API endpoint's chain expires: the chain is the certificate authority's, renewing the certificate brings a current one",
    ca: "an issuer in the API endpoint's chain expires",
  },
};

/** A figure with the source that decides its advice. */
export interface SeenCertificate {
  readonly figure: CertificateFigure;
  readonly source: CertificateSource;
}

/**
 * Fails when any certificate expires in fewer than `minDays` days, naming each, its expiry and
 * what renews it. `setting` is the option name to quote (`--cert-expiry-min-days`).
 */
export function checkExpiry(seen: readonly SeenCertificate[], minDays: number, setting: string): void {
  const soon = seen.filter(({ figure }) => figure.daysLeft < minDays);
  if (soon.length === 0) return;
  const described = soon.map(({ figure }) => `${figure.subject} (${figure.role} certificate of ${figure.endpoint}) expires in ${figure.daysLeft} day${figure.daysLeft === 1 ? '' : 's'} (${figure.notAfter})`);
  const causes = [...new Set(soon.map(({ figure, source }) => CAUSES[source][figure.role]))];
  throw new VerifyError('expiring', `${described.join('; ')}: fewer than ${setting} ${minDays}`, causes.join('; '));
}

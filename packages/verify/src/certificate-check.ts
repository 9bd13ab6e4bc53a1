import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { certificateFigure, certificatesOfPem, chainFigures, checkExpiry, type CertificateFigure, type SeenCertificate } from './certificate-expiry';
import type { DbTarget } from './config';
import { tlsSocketOf } from './database';
import type { FlowRun } from './flow';
import { peerChain, httpsEndpointChain } from './tls-chain';
import { flagName } from './settings';

export const CERTIFICATES_STEP = 'certificates: days until expiry';

/** What one check group connects to: its database (open connection) and its API endpoints. */
export interface CertificateSources {
  readonly db: DbTarget;
  readonly connection: pg.Client;
  /** Only the https:// ones are probed; cluster-internal http:// URLs carry no certificate. */
  readonly urls: readonly string[];
}

/**
 * Every certificate the group relies on, with its days until expiry: the chain the database
 * server presented on this connection (one node, through the load balancer), the CA file, the
 * client certificate, and each HTTPS API endpoint's chain. Fills `figures` (also when the step
 * fails) and fails below `minDays`.
 */
export async function runCertificateCheck(run: FlowRun, sources: CertificateSources, minDays: number, timeoutMs: number, figures: CertificateFigure[]): Promise<void> {
  await run.step(CERTIFICATES_STEP, async () => {
    const now = new Date();
    const seen: SeenCertificate[] = [];
    const add = (figure: CertificateFigure, source: SeenCertificate['source']) => {
      if (seen.some((s) => s.figure.fingerprint256 === figure.fingerprint256 && s.figure.endpoint === figure.endpoint)) return;
      seen.push({ figure, source });
      figures.push(figure);
    };
    const { db } = sources;
    const serverChain = chainFigures(peerChain(tlsSocketOf(sources.connection)), `sql ${db.host}:${db.port}`, now);
    serverChain.forEach((figure) => add(figure, 'database'));
    for (const ca of certificatesOfPem(await readFile(db.sslrootcert))) {
      if (!serverChain.some((f) => f.fingerprint256 === ca.fingerprint256)) add(certificateFigure(ca, db.sslrootcert, 'ca', now), 'database');
    }
    const [client] = certificatesOfPem(await readFile(db.sslcert));
    if (client) add(certificateFigure(client, db.sslcert, 'client', now), 'database');
    for (const url of sources.urls.filter((u) => u.startsWith('https://'))) {
      chainFigures(await httpsEndpointChain(url, timeoutMs), new URL(url).origin, now).forEach((figure) => add(figure, 'api'));
    }
    checkExpiry(seen, minDays, `--${flagName('certExpiryMinDays')}`);
    return { value: undefined, record: seen.map(({ figure }) => certificateRow(figure)) };
  });
}

function certificateRow(figure: CertificateFigure): Record<string, unknown> {
  return {
    certificate: figure.role,
    endpoint: figure.endpoint,
    subject: figure.subject,
    not_after: figure.notAfter,
    days_left: figure.daysLeft,
    ...(figure.subjectAltNames ? { names: figure.subjectAltNames } : {}),
  };
}

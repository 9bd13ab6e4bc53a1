import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { classifyError } from './errors';

/** The chain a TLS peer presented, leaf first, as Node verified it (up to the trusted root). */
export function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * The certificate chain of an HTTPS endpoint, verified as `fetch` verifies it (Node's trust store
 * plus NODE_EXTRA_CA_CERTS, the URL's host name): the verifier's API calls see the same chain.
 * Failures come back classified as the API calls' are.
 */
export async function httpsEndpointChain(url: string, timeoutMs: number): Promise<X509Certificate[]> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port || 443), ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: true, ALPNProtocols: ['http/1.1'] });
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`TLS handshake timed out`), { name: 'TimeoutError' })), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const chain = peerChain(socket);
      socket.end();
      resolve(chain);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(classifyError(error, `TLS ${url}`, timeoutMs, 'api'));
    });
  });
}

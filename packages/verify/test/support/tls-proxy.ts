import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:https';

export interface TlsProxy {
  /** `https://localhost:<port>`: the certificate is issued for `localhost`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * An HTTPS front for a plain-HTTP server on 127.0.0.1, as the load balancer terminates TLS in
 * front of Ory's public APIs: requests and answers pass through unchanged.
 */
export async function startTlsProxy(targetUrl: string, certFile: string, keyFile: string): Promise<TlsProxy> {
  const target = new URL(targetUrl);
  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (incoming, outgoing) => {
    const forwarded = request({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://localhost:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of a throw-away certificate authority generated at test time with the openssl CLI. */
export interface TestCa {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * ECDSA P-256 keys: generated in milliseconds even on a loaded CI machine (RSA 2048 takes ~1 s
 * each there). The verifier's TLS handling does not depend on the key type.
 */
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** A new self-signed CA (CA:true) in `dir`, valid for `days` (10 years by default, as the cluster CA). */
export function createTestCa(dir: string, commonName: string, days = 3650): TestCa {
  mkdirSync(dir, { recursive: true });
  openssl(
    ['req', '-x509', ...KEY, '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', String(days),
      '-subj', `/CN=${commonName}`, '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  return { dir, certFile: join(dir, 'ca.crt'), keyFile: join(dir, 'ca.key') };
}

/**
 * Issues `<name>.crt` / `<name>.key` signed by `ca`, with the given CN, extended key usage and SANs,
 * valid for `days` from now (365 by default, as cockroach-pki's; negative: already expired).
 */
export function issueCertificate(
  ca: TestCa,
  outDir: string,
  name: string,
  opts: { commonName: string; extendedKeyUsage: 'serverAuth' | 'clientAuth'; subjectAltNames?: string[]; days?: number },
): { certFile: string; keyFile: string } {
  mkdirSync(outDir, { recursive: true });
  const keyFile = join(outDir, `${name}.key`);
  const certFile = join(outDir, `${name}.crt`);
  const csrFile = join(outDir, `${name}.csr`);
  const extFile = join(outDir, `${name}.ext`);
  const ext = ['keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${opts.extendedKeyUsage}`];
  if (opts.subjectAltNames?.length) ext.push(`subjectAltName=${opts.subjectAltNames.join(',')}`);
  writeFileSync(extFile, ext.join('\n') + '\n');
  openssl(['req', ...KEY, '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${opts.commonName}`], outDir);
  openssl(['x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', certFile, '-days', String(opts.days ?? 365), '-extfile', extFile], outDir);
  return { certFile, keyFile };
}

import { allStrings } from '../json-strings';
import type { PolicyRule } from '../rule';

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** CRDB-SECRET-001: no PEM private key anywhere in the synthesized JSON. */
export const NO_PRIVATE_KEY: PolicyRule = {
  id: 'CRDB-SECRET-001',
  description: 'No PEM private key anywhere in the synthesized JSON.',
  severity: 'error',
  check(stack) {
    return allStrings(stack)
      .filter((located) => PEM_PRIVATE_KEY.test(located.value))
      .map((located) => ({
        address: located.address,
        constructPath: located.constructPath,
        message: `a PEM private key is written literally at ${located.path.join('.')}`,
        fix: 'generate the key in Terraform (tls_private_key) or keep it in AWS Secrets Manager, and pass a reference',
      }));
  },
};

import { stringRule } from '../declare-rule';

const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** CRDB-SECRET-001: no PEM private key anywhere in the synthesized JSON. */
export const NO_PRIVATE_KEY = stringRule({
  id: 'CRDB-SECRET-001',
  description: 'No PEM private key anywhere in the synthesized JSON.',
  fix: 'generate the key in Terraform (tls_private_key) or keep it in AWS Secrets Manager, and pass a reference',
  test: ({ path, value }) => (PEM_PRIVATE_KEY.test(value) ? `a PEM private key is written literally at ${path.join('.')}` : undefined),
});

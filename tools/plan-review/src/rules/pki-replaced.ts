import { removalRule } from './removal-rule';

/** The CA and node/client certificates (tls provider), and the Secrets Manager secrets that hold them. */
export const PKI_REPLACED = removalRule({
  id: 'pki-replaced',
  title: 'CA or certificate replaced or destroyed',
  description:
    'A new CA or key invalidates every certificate signed by the old one: nodes and clients stop trusting each other until all of them have the new certificates. A destroyed secret takes the certificates the nodes read at boot with it.',
  resourceTypes: ['tls_self_signed_cert', 'tls_locally_signed_cert', 'tls_private_key', 'tls_cert_request', 'aws_secretsmanager_secret'],
});

import { defineOutputsContract } from '@crdb-ory/core/contract';

/** Stack name of the PKI stack: also its state key. API: never rename. */
export const COCKROACH_PKI_STACK_NAME = 'cockroach-pki';

/**
 * The PKI stack's outputs: ARNs and public material only, never a key. Published as SSM
 * parameters (`/<namePrefix>/cockroach-pki/<output>`), not read through remote state: this stack's
 * state holds the CA key and every leaf key, and reading remote state reads the whole state. No
 * other stack, command or tool reads it (the policy gate's CRDB-STATE-001 keeps it so).
 * Secret formats (SecretString, JSON):
 * - node secret:   {"ca.crt", "node.crt", "node.key"}
 * - client secret: {"ca.crt", "client.<user>.crt", "client.<user>.key"}
 */
export const COCKROACH_PKI_OUTPUTS = defineOutputsContract(COCKROACH_PKI_STACK_NAME, {
  caCertificatePem: { type: 'string', description: 'PEM of the cluster CA certificate (public).', example: '-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n' },
  kmsKeyArn: { type: 'string', description: 'KMS key that encrypts every certificate secret.', example: 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001' },
  nodeSecretArns: { type: 'list', description: 'Secrets Manager ARN of each node certificate secret, in node (AZ) order.', example: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/node-1-AbCdEf', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/node-2-AbCdEf', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/node-3-AbCdEf'] },
  rootClientSecretArn: { type: 'string', description: 'Client certificate secret of the `root` SQL user (bootstrap only).', example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-root-AbCdEf' },
  hydraClientSecretArn: { type: 'string', description: "Client certificate secret of Hydra's SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-hydra-AbCdEf' },
  kratosClientSecretArn: { type: 'string', description: "Client certificate secret of Kratos's SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-kratos-AbCdEf' },
  ketoClientSecretArn: { type: 'string', description: "Client certificate secret of Keto's SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-keto-AbCdEf' },
  verifierClientSecretArn: { type: 'string', description: "Client certificate secret of the read-only verifier SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-verifier-AbCdEf' },
}, { channel: 'ssm-parameters' });

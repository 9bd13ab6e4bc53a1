import { attribute, resourceRule } from '../declare-rule';
import { blocks } from '../values';

/** CRDB-EKS-001: Kubernetes secrets are envelope-encrypted with a KMS key. */
export const EKS_SECRETS_ENCRYPTED = resourceRule({
  id: 'CRDB-EKS-001',
  description: 'EKS clusters encrypt Kubernetes secrets with a KMS key (encryption_config with resources ["secrets"]).',
  fix: 'set encryptionConfig: { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }',
  test: {
    aws_eks_cluster: (cluster) => (blocks(cluster.config['encryption_config']).some(encryptsSecrets) ? undefined : 'Kubernetes secrets are not encrypted with a KMS key'),
  },
});

function encryptsSecrets(config: Record<string, unknown>): boolean {
  const resources = config['resources'];
  const keyArn = attribute(config, 'provider', 'key_arn');
  return Array.isArray(resources) && resources.includes('secrets') && typeof keyArn === 'string' && keyArn.length > 0;
}

import type { PolicyRule } from '../rule';
import { blocks, firstBlock } from '../values';

/** CRDB-EKS-001: Kubernetes secrets are envelope-encrypted with a KMS key. */
export const EKS_SECRETS_ENCRYPTED: PolicyRule = {
  id: 'CRDB-EKS-001',
  description: 'EKS clusters encrypt Kubernetes secrets with a KMS key (encryption_config with resources ["secrets"]).',
  severity: 'error',
  check(stack) {
    return stack
      .resources('aws_eks_cluster')
      .filter(
        (cluster) =>
          !blocks(cluster.config['encryption_config']).some((config) => {
            const resources = config['resources'];
            const keyArn = firstBlock(config['provider'])?.['key_arn'];
            return Array.isArray(resources) && resources.includes('secrets') && typeof keyArn === 'string' && keyArn.length > 0;
          }),
      )
      .map((cluster) =>
        stack.violation(cluster, 'Kubernetes secrets are not encrypted with a KMS key', 'set encryptionConfig: { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }'),
      );
  },
};

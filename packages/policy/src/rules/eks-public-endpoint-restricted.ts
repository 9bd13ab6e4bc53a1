import { containsExpression } from '@crdb-ory/core';
import type { PolicyRule } from '../rule';
import { firstBlock, isFalse, show } from '../values';

const WORLD = ['0.0.0.0/0', '::/0'];

/** CRDB-EKS-003: a public API endpoint only with an explicit CIDR allow-list. */
export const EKS_PUBLIC_ENDPOINT_RESTRICTED: PolicyRule = {
  id: 'CRDB-EKS-003',
  description: 'The EKS API endpoint is private, or public only with an explicit CIDR allow-list (never 0.0.0.0/0).',
  severity: 'error',
  check(stack) {
    return stack.resources('aws_eks_cluster').flatMap((cluster) => {
      const vpc = firstBlock(cluster.config['vpc_config']);
      // AWS enables the public endpoint when endpoint_public_access is not set.
      if (isFalse(vpc?.['endpoint_public_access'])) return [];
      const cidrs = vpc?.['public_access_cidrs'];
      const explicit = Array.isArray(cidrs) && cidrs.length > 0 && cidrs.every((cidr) => typeof cidr === 'string' && !containsExpression(cidr) && !WORLD.includes(cidr));
      if (explicit) return [];
      return [
        stack.violation(
          cluster,
          `public API endpoint with public_access_cidrs ${show(cidrs)} (unset means 0.0.0.0/0; references cannot be evaluated)`,
          'set vpcConfig.endpointPublicAccess = false, or list the literal CIDRs allowed in vpcConfig.publicAccessCidrs',
        ),
      ];
    });
  },
};

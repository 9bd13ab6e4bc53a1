import { containsExpression } from '@crdb-ory/core';
import { attribute, resourceRule } from '../declare-rule';
import { isFalse, show } from '../values';

const WORLD = ['0.0.0.0/0', '::/0'];

/** CRDB-EKS-003: a public API endpoint only with an explicit CIDR allow-list. */
export const EKS_PUBLIC_ENDPOINT_RESTRICTED = resourceRule({
  id: 'CRDB-EKS-003',
  description: 'The EKS API endpoint is private, or public only with an explicit CIDR allow-list (never 0.0.0.0/0).',
  fix: 'set vpcConfig.endpointPublicAccess = false, or list the literal CIDRs allowed in vpcConfig.publicAccessCidrs',
  test: {
    aws_eks_cluster: (cluster) => {
      // AWS enables the public endpoint when endpoint_public_access is not set.
      if (isFalse(attribute(cluster.config, 'vpc_config', 'endpoint_public_access'))) return undefined;
      const cidrs = attribute(cluster.config, 'vpc_config', 'public_access_cidrs');
      const explicit = Array.isArray(cidrs) && cidrs.length > 0 && cidrs.every((cidr) => typeof cidr === 'string' && !containsExpression(cidr) && !WORLD.includes(cidr));
      return explicit ? undefined : `public API endpoint with public_access_cidrs ${show(cidrs)} (unset means 0.0.0.0/0; references cannot be evaluated)`;
    },
  },
});

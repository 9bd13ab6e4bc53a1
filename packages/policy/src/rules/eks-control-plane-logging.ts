import { resourceRule } from '../declare-rule';
import { show } from '../values';

/** Control-plane log types a security review needs. */
export const REQUIRED_EKS_LOG_TYPES: readonly string[] = ['api', 'audit', 'authenticator'];

/** CRDB-EKS-002: control-plane logging is on for the security-relevant log types. */
export const EKS_CONTROL_PLANE_LOGGING = resourceRule({
  id: 'CRDB-EKS-002',
  description: `EKS control-plane logging is on (enabled_cluster_log_types includes ${REQUIRED_EKS_LOG_TYPES.join(', ')}).`,
  fix: `set enabledClusterLogTypes to include ${REQUIRED_EKS_LOG_TYPES.map((t) => `"${t}"`).join(', ')} (literal values)`,
  test: {
    aws_eks_cluster: (cluster) => {
      const enabled = cluster.config['enabled_cluster_log_types'];
      const missing = REQUIRED_EKS_LOG_TYPES.filter((type) => !Array.isArray(enabled) || !enabled.includes(type));
      return missing.length === 0 ? undefined : `enabled_cluster_log_types is ${show(enabled)}; missing ${missing.join(', ')}`;
    },
  },
});

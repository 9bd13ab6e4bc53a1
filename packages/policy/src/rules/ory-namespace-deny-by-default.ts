import { oryNamespaces, namespaceOf } from '../ory-namespaces';
import { problemAt, stackRule } from '../declare-rule';
import type { ResourceEntry, StackDocument } from '../stack-document';
import { blocks, firstBlock } from '../values';

/**
 * CRDB-ORY-002: every namespace that runs Hydra, Kratos or Keto has a NetworkPolicy that selects
 * every pod (empty `podSelector`) for both Ingress and Egress and allows nothing: what is not
 * admitted by another policy is denied (Kubernetes docs, "Network Policies": "Default deny all
 * ingress and all egress traffic"; policies are additive, so the allowances live in their own
 * policies). Without it any pod of the cluster reaches Ory's admin APIs.
 */
export const ORY_NAMESPACE_DENY_BY_DEFAULT = stackRule({
  id: 'CRDB-ORY-002',
  description: 'Every namespace running Ory denies all ingress and egress by default (a NetworkPolicy selecting every pod, allowing nothing).',
  fix: 'add a kubernetes_network_policy_v1 in that namespace with pod_selector {}, policy_types ["Ingress", "Egress"] and no rules, then admit each needed flow in its own policy',
  check(stack) {
    return oryNamespaces(stack).flatMap((namespace) =>
      defaultDenyIn(stack, namespace.name)
        ? []
        : namespace.releases.map((release) =>
            problemAt(release, `namespace "${namespace.name}" has no default-deny NetworkPolicy: every pod of the cluster may reach ${String(release.config['chart'])}'s admin and write ports`),
          ),
    );
  },
});

function defaultDenyIn(stack: StackDocument, namespace: string): ResourceEntry | undefined {
  return stack.resources('kubernetes_network_policy_v1', 'kubernetes_network_policy').find((policy) => {
    const metadata = firstBlock(policy.config['metadata']);
    const spec = firstBlock(policy.config['spec']);
    if (!spec || namespaceOf(stack, metadata?.['namespace'] ?? 'default').name !== namespace) return false;
    const selector = firstBlock(spec['pod_selector']) ?? {};
    const selectsAll = Object.values(selector).every((value) => value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0));
    const types = Array.isArray(spec['policy_types']) ? spec['policy_types'] : [];
    return selectsAll && types.includes('Ingress') && types.includes('Egress') && blocks(spec['ingress']).length === 0 && blocks(spec['egress']).length === 0;
  });
}

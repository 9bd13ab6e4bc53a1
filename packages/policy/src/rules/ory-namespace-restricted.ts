import { oryNamespaces } from '../ory-namespaces';
import { attribute, problemAt, stackRule } from '../declare-rule';
import { isObject } from '../values';

export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * CRDB-ORY-003: every namespace that runs Hydra, Kratos or Keto is a namespace of the stack that
 * enforces the `restricted` Pod Security Standard (Kubernetes docs, "Pod Security Admission":
 * the `pod-security.kubernetes.io/enforce` label; "Pod Security Standards": restricted). A pod
 * that asks for more (root, host namespaces, privilege escalation, added capabilities) is
 * refused at admission, whatever a chart or an override renders.
 */
export const ORY_NAMESPACE_RESTRICTED = stackRule({
  id: 'CRDB-ORY-003',
  description: 'Every namespace running Ory enforces the restricted Pod Security Standard.',
  fix: `set the label ${POD_SECURITY_ENFORCE_LABEL}: restricted`,
  check(stack) {
    return oryNamespaces(stack).flatMap((namespace) => {
      if (!namespace.resource) {
        return namespace.releases.map((release) =>
          problemAt(release, {
            message: `installs into namespace "${namespace.name}", which this stack does not manage: its Pod Security level cannot be checked`,
            fix: `manage the namespace in this stack (kubernetes_namespace_v1) with the label ${POD_SECURITY_ENFORCE_LABEL}: restricted`,
          }),
        );
      }
      const labels = attribute(namespace.resource.config, 'metadata', 'labels');
      const level = isObject(labels) ? labels[POD_SECURITY_ENFORCE_LABEL] : undefined;
      return level === 'restricted' ? [] : [problemAt(namespace.resource, `namespace "${namespace.name}" runs Ory with ${POD_SECURITY_ENFORCE_LABEL} ${level === undefined ? 'unset' : `"${String(level)}"`}`)];
    });
  },
});

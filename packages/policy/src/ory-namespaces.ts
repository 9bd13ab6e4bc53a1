import { referenceOf } from '@crdb-ory/core';
import type { ResourceEntry, StackDocument } from './stack-document';
import { firstBlock } from './values';

/** The Ory charts (Hydra, Kratos, Keto), by `chart` (a name or a repository path ending in it). */
const ORY_CHART = /(^|\/)(hydra|kratos|keto)$/;
const NAMESPACE_TYPES = ['kubernetes_namespace_v1', 'kubernetes_namespace'];

/** A Kubernetes namespace as a stack names it: its literal name, and the namespace resource when the stack manages it. */
export interface NamespaceRef {
  readonly name: string;
  readonly resource?: ResourceEntry;
}

/** The namespaces the stack installs Ory releases into, each once, with the releases. */
export function oryNamespaces(stack: StackDocument): Array<NamespaceRef & { readonly releases: readonly ResourceEntry[] }> {
  const found = new Map<string, NamespaceRef & { releases: ResourceEntry[] }>();
  for (const release of stack.resources('helm_release').filter((r) => ORY_CHART.test(String(r.config['chart'] ?? '')))) {
    const namespace = namespaceOf(stack, release.config['namespace'] ?? 'default');
    const entry = found.get(namespace.name) ?? { ...namespace, releases: [] };
    entry.releases.push(release);
    found.set(namespace.name, entry);
  }
  return [...found.values()];
}

/** A namespace argument: a literal, or `${kubernetes_namespace_v1.<name>.metadata[0].name}` of a namespace resource of the stack. */
export function namespaceOf(stack: StackDocument, value: unknown): NamespaceRef {
  const reference = referenceOf(value);
  const namesNamespace = reference && NAMESPACE_TYPES.includes(reference.type) && ['metadata,name', 'metadata,0,name'].includes(reference.attribute.join());
  const resource = namesNamespace ? stack.referencedResource(reference) : undefined;
  if (resource) return { name: String(firstBlock(resource.config['metadata'])?.['name'] ?? resource.address), resource };
  const literal = String(value);
  const managed = stack.resources(...NAMESPACE_TYPES).find((entry) => firstBlock(entry.config['metadata'])?.['name'] === literal);
  return managed ? { name: literal, resource: managed } : { name: literal };
}

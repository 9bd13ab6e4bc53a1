/**
 * Kubernetes NetworkPolicy semantics, to evaluate the stack's policies against the pods Helm
 * renders. From the Kubernetes docs, "Network Policies" (kubernetes.io/docs/concepts/services-
 * networking/network-policies/):
 * - a pod is isolated for ingress (egress) when a policy of its namespace selects it
 *   (`podSelector`) and lists Ingress (Egress) in `policyTypes`; an isolated pod accepts only
 *   what some selecting policy's rules allow; policies are additive;
 * - a rule allows a peer when `from`/`to` is empty or one entry matches, and a port when `ports`
 *   is empty or one entry matches (protocol defaults to TCP);
 * - an entry with `podSelector` alone means pods of the policy's namespace; `namespaceSelector`
 *   alone every pod of the selected namespaces; both together the selected pods of the selected
 *   namespaces; `ipBlock` a CIDR minus its `except` ranges;
 * - an empty selector selects everything; `matchLabels` and `matchExpressions` (In, NotIn,
 *   Exists, DoesNotExist) must all hold.
 * Both directions must allow a connection between two pods; only one side is ours here.
 */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] }>;
}

export interface Peer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}

export interface Rule {
  readonly peers: readonly Peer[];
  readonly ports: ReadonlyArray<{ readonly port?: string; readonly protocol?: string }>;
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly policyTypes: readonly string[];
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
}

/** A pod (its namespace and labels) or an address outside the cluster, and its IP. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly namespace: string; readonly namespaceLabels?: Readonly<Record<string, string>>; readonly labels: Readonly<Record<string, string>>; readonly ip: string }
  | { readonly kind: 'external'; readonly ip: string };

export interface Connection {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

/** Whether `pod` (of namespace `namespace`) accepts a connection from `from`. */
export function ingressAllowed(policies: readonly NetworkPolicy[], pod: { namespace: string; labels: Record<string, string> }, from: Endpoint, connection: Connection): boolean {
  return allowed(policies, pod, 'Ingress', from, connection);
}

/** Whether `pod` may open a connection to `to`. */
export function egressAllowed(policies: readonly NetworkPolicy[], pod: { namespace: string; labels: Record<string, string> }, to: Endpoint, connection: Connection): boolean {
  return allowed(policies, pod, 'Egress', to, connection);
}

/** The policies that isolate `pod` in `direction`. */
export function isolating(policies: readonly NetworkPolicy[], pod: { namespace: string; labels: Record<string, string> }, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
  return policies.filter((p) => p.namespace === pod.namespace && p.policyTypes.includes(direction) && selects(p.podSelector, pod.labels));
}

function allowed(policies: readonly NetworkPolicy[], pod: { namespace: string; labels: Record<string, string> }, direction: 'Ingress' | 'Egress', other: Endpoint, connection: Connection): boolean {
  const selecting = isolating(policies, pod, direction);
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (direction === 'Ingress' ? policy.ingress : policy.egress).some(
      (rule) => (rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(peer, policy.namespace, other))) && (rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, connection))),
    ),
  );
}

function peerMatches(peer: Peer, policyNamespace: string, endpoint: Endpoint): boolean {
  if (peer.ipBlock) return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((cidr) => inCidr(endpoint.ip, cidr));
  if (endpoint.kind !== 'pod') return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { ...endpoint.namespaceLabels, 'kubernetes.io/metadata.name': endpoint.namespace }) : endpoint.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || selects(peer.podSelector, endpoint.labels));
}

function portMatches(port: { port?: string; protocol?: string }, connection: Connection): boolean {
  return (port.protocol ?? 'TCP') === (connection.protocol ?? 'TCP') && (port.port === undefined || Number(port.port) === connection.port);
}

export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    switch (e.operator) {
      case 'In':
        return (e.values ?? []).includes(labels[e.key] ?? '\u0000');
      case 'NotIn':
        return !(e.values ?? []).includes(labels[e.key] ?? '\u0000');
      case 'Exists':
        return e.key in labels;
      case 'DoesNotExist':
        return !(e.key in labels);
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return byLabel && byExpression;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  return (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}

import { NetworkPolicyV1, NetworkPolicyV1Spec, NetworkPolicyV1SpecEgressTo, NetworkPolicyV1SpecIngressFrom, NetworkPolicyV1SpecPodSelector } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { SQL_PORT } from '@crdb-ory/cockroach';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ORY_PORTS, OryServiceName } from './ory-ports';

/**
 * A workload outside the Ory namespace allowed to call Ory's admin and write APIs (and Keto's
 * read API): every pod of `namespace`, or those of its pods with `podLabels`.
 */
export interface OryApiClient {
  /** The client's namespace (its `kubernetes.io/metadata.name` label, which Kubernetes sets). */
  readonly namespace: string;
  /** Only the pods with all these labels. @default every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}

export interface OryNetworkPoliciesProps {
  readonly namespace: string;
  /** CIDRs of the CockroachDB private subnets: where the SQL load balancer's addresses are (one per AZ). */
  readonly cockroachSubnetCidrs: readonly string[];
  /** CIDRs of the subnets of the public load balancer (its nodes are the source of its traffic to pod IP targets). @default none: no public load balancer */
  readonly loadBalancerSubnetCidrs?: readonly string[];
  /** The public ports behind the load balancer, by service. */
  readonly publicPorts: Readonly<Partial<Record<OryServiceName, readonly number[]>>>;
  /** Who may call the admin and write APIs (and Keto read) from inside the cluster. @default nobody */
  readonly apiClients: readonly OryApiClient[];
  /** Kratos checks passwords against haveibeenpwned (HTTPS to the internet). */
  readonly kratosInternetEgress: boolean;
  /** hydra-maester runs (it calls Hydra's admin API and the Kubernetes API). */
  readonly hydraMaester: boolean;
  readonly dependsOn?: ITerraformDependable[];
}

/** The pods of one Ory chart release, as chart 0.62.1 labels them (rendered manifests: Deployment `<name>`, migration Job `<name>-automigrate`, hydra-maester `hydra-hydra-maester`). */
const serverPods = (service: string) => ({ matchLabels: { 'app.kubernetes.io/name': service, 'app.kubernetes.io/instance': service } });
const serverAndMigrationPods = (service: string) => ({
  matchLabels: { 'app.kubernetes.io/instance': service },
  matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [service, `${service}-automigrate`] }],
});
const MAESTER_PODS = { matchLabels: { 'app.kubernetes.io/name': 'hydra-hydra-maester', 'app.kubernetes.io/instance': 'hydra' } };

/** Admin, write and in-cluster read ports, by service. */
export const ORY_API_CLIENT_PORTS: Readonly<Record<OryServiceName, readonly number[]>> = {
  hydra: [ORY_PORTS.hydraAdmin],
  kratos: [ORY_PORTS.kratosAdmin],
  keto: [ORY_PORTS.ketoRead, ORY_PORTS.ketoWrite],
};

/** Private and link-local ranges (RFC 1918, RFC 6598, RFC 3927: the instance metadata service is 169.254.169.254). */
export const NOT_THE_INTERNET = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

/**
 * Ory's namespace denies every flow by default and admits, in one policy each, only what each
 * port and each pod needs (Kubernetes docs, "Network Policies": policies are additive; a pod
 * selected by a policy of a direction allows only what some policy admits). The VPC CNI enforces
 * them with its network policy agent on (the eks stack's add-on configuration); traffic from the
 * node itself (kubelet probes) is always allowed (Kubernetes docs, "What you can't do with network
 * policies": a pod cannot block access from its resident node; aws-network-policy-agent PR 65 allows
 * the node IP). Admitted:
 * - DNS: every pod to CoreDNS (kube-system, `k8s-app: kube-dns`), UDP and TCP 53: the DSN and
 *   the SQL load balancer are names;
 * - each service's server and migration job to the CockroachDB SQL load balancer, TCP 26257, in
 *   the CockroachDB private subnets (where its addresses are), and nowhere else in the database VPC;
 * - the public ports (Hydra 4444, Kratos 4433, Keto read when exposed) from the public load
 *   balancer's subnets only (its IP targets see the load balancer nodes as the source);
 * - admin and write ports (Hydra 4445, Kratos 4434, Keto 4467, and Keto read 4466) from the
 *   configured API clients only: nobody by default;
 * - Kratos's server to the internet on 443 when the breached-password check is on
 *   (api.pwnedpasswords.com, which has no fixed address), never to private ranges or the instance
 *   metadata service;
 * - hydra-maester, when installed, to Hydra's admin port and to the Kubernetes API on 443 (the
 *   cluster endpoint's addresses are not known offline and may be public).
 * Nothing reaches the instance metadata service: Ory calls no AWS API.
 */
export class OryNetworkPolicies extends Construct {
  readonly policies: NetworkPolicyV1[] = [];
  private readonly props: OryNetworkPoliciesProps;

  constructor(scope: Construct, id: string, props: OryNetworkPoliciesProps) {
    super(scope, id);
    this.props = props;
    this.policy('default-deny', {}, { policyTypes: ['Ingress', 'Egress'] });
    this.policy('dns', {}, {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
      ],
    });
    const database: NetworkPolicyV1SpecEgressTo[] = props.cockroachSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } }));
    for (const service of ['hydra', 'kratos', 'keto'] as const) {
      this.policy(`${service}-database`, serverAndMigrationPods(service), { policyTypes: ['Egress'], egress: [{ to: database, ports: [{ port: String(SQL_PORT), protocol: 'TCP' }] }] });
      const publicPorts = props.publicPorts[service] ?? [];
      if (publicPorts.length > 0 && (props.loadBalancerSubnetCidrs ?? []).length > 0) {
        this.policy(`${service}-public`, serverPods(service), {
          policyTypes: ['Ingress'],
          ingress: [{ from: (props.loadBalancerSubnetCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(publicPorts) }],
        });
      }
      const clients: NetworkPolicyV1SpecIngressFrom[] = [...props.apiClients.map(clientPeer), ...(service === 'hydra' && props.hydraMaester ? [{ podSelector: MAESTER_PODS }] : [])];
      if (clients.length > 0) this.policy(`${service}-api-clients`, serverPods(service), { policyTypes: ['Ingress'], ingress: [{ from: clients, ports: tcp(ORY_API_CLIENT_PORTS[service]) }] });
    }
    if (props.kratosInternetEgress) {
      this.policy('kratos-breached-password-check', serverPods('kratos'), { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_THE_INTERNET } }], ports: tcp([443]) }] });
    }
    if (props.hydraMaester) {
      this.policy('hydra-maester', MAESTER_PODS, {
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: serverPods('hydra') }], ports: tcp([ORY_PORTS.hydraAdmin]) },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }], ports: tcp([443]) },
        ],
      });
    }
  }

  private policy(name: string, podSelector: NetworkPolicyV1SpecPodSelector, spec: Omit<NetworkPolicyV1Spec, 'podSelector'>): void {
    this.policies.push(
      new NetworkPolicyV1(this, name, {
        metadata: { name, namespace: this.props.namespace, labels: { 'app.kubernetes.io/part-of': 'ory' } },
        spec: { podSelector, ...spec },
        ...(this.props.dependsOn ? { dependsOn: this.props.dependsOn } : {}),
      }),
    );
  }
}

function tcp(ports: readonly number[]) {
  return ports.map((port) => ({ port: String(port), protocol: 'TCP' }));
}

function clientPeer(client: OryApiClient): NetworkPolicyV1SpecIngressFrom {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': client.namespace } },
    ...(client.podLabels && Object.keys(client.podLabels).length > 0 ? { podSelector: { matchLabels: { ...client.podLabels } } } : {}),
  };
}

/**
 * The Ory namespace's NetworkPolicies, as synthesized, evaluated (Kubernetes' semantics:
 * support/network-policy-model.ts) against the pods the real Helm renders from the real 0.62.1
 * charts with the stack's values: every flow a pod needs is admitted, everything else is denied.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OryStackProps } from '../src';
import { deployments, migrationJobs, podTemplates, type PodTemplate } from './support/manifest-checks';
import { Endpoint, NetworkPolicy, egressAllowed, ingressAllowed, isolating } from './support/network-policy-model';
import { RenderedRelease, renderOryReleases, withStandIns } from './support/render-ory';
import { synthOry } from './support/synth-ory';

type Json = Record<string, any>;
const SERVICES = ['hydra', 'kratos', 'keto'] as const;

/** The synthesized policies, references replaced by the same stand-ins as the Helm values (the network contract's example CIDRs). */
function policiesOf(json: Json): NetworkPolicy[] {
  const text = (value: unknown) => (typeof value === 'string' ? withStandIns(json, value) : value);
  const selector = (s: Json | undefined) => ({ matchLabels: s?.match_labels ?? {}, matchExpressions: (s?.match_expressions ?? []).map((e: Json) => ({ key: e.key, operator: e.operator, values: e.values })) });
  const peers = (list: Json[] | undefined) =>
    (list ?? []).map((p) => ({
      ...(p.ip_block ? { ipBlock: { cidr: text(p.ip_block.cidr) as string, except: p.ip_block.except ?? [] } } : {}),
      ...(p.namespace_selector ? { namespaceSelector: selector(p.namespace_selector) } : {}),
      ...(p.pod_selector ? { podSelector: selector(p.pod_selector) } : {}),
    }));
  const rules = (list: Json[] | undefined, key: 'from' | 'to') => (list ?? []).map((r) => ({ peers: peers(r[key]), ports: r.ports ?? [] }));
  return Object.values<Json>(json.resource?.kubernetes_network_policy_v1 ?? {}).map((p) => ({
    name: p.metadata.name,
    namespace: text(p.metadata.namespace) as string,
    podSelector: selector(p.spec.pod_selector),
    policyTypes: p.spec.policy_types,
    ingress: rules(p.spec.ingress, 'from'),
    egress: rules(p.spec.egress, 'to'),
  }));
}

interface Variant {
  readonly json: Json;
  readonly policies: NetworkPolicy[];
  readonly rendered: Record<(typeof SERVICES)[number], RenderedRelease>;
}

const VARIANTS = {
  defaults: {},
  configured: { publicAccessCidrs: ['203.0.113.0/24'], apiClients: [{ namespace: 'backoffice', podLabels: { app: 'admin-ui' } }, { namespace: 'permissions' }], hydraMaesterEnabled: true, kratosBreachedPasswordCheck: false },
} satisfies Record<string, Partial<OryStackProps>>;
const variants: Partial<Record<keyof typeof VARIANTS, Variant>> = {};
beforeAll(async () => {
  for (const [name, props] of Object.entries(VARIANTS)) {
    const { json } = synthOry(props);
    variants[name as keyof typeof VARIANTS] = { json, policies: policiesOf(json), rendered: await renderOryReleases(json) };
  }
}, 180_000);

/** A rendered variant (rendering failures surface here, in every test that reads it). */
function variant(name: keyof typeof VARIANTS): Variant {
  const found = variants[name];
  if (!found) throw new Error(`variant ${name} was not rendered`);
  return found;
}
const pods = (v: Variant, service: (typeof SERVICES)[number]) => podTemplates(v.rendered[service].manifests);
function one(templates: PodTemplate[], what: string): PodTemplate {
  const [template] = templates;
  if (!template) throw new Error(`no ${what} rendered`);
  return template;
}
const server = (v: Variant, service: (typeof SERVICES)[number]) => one(deployments(v.rendered[service].manifests).filter((p) => p.owner === `Deployment/${service}`), `Deployment/${service}`);
const job = (v: Variant, service: (typeof SERVICES)[number]) => one(migrationJobs(v.rendered[service].manifests), `${service} migration job`);
const maesterOf = (v: Variant) => one(pods(v, 'hydra').filter((p) => p.owner === 'Deployment/hydra-hydra-maester'), 'hydra-maester');
const subject = (pod: PodTemplate) => ({ namespace: pod.manifest.metadata.namespace ?? 'ory', labels: pod.metadata.labels ?? {} });

// Addresses inside the network contract's example CIDRs (the stand-ins): CockroachDB private subnet 10.10.10.0/24,
// Ory public subnet 10.20.0.0/24, Ory private subnet 10.20.16.0/20.
const SQL_LOAD_BALANCER: Endpoint = { kind: 'external', ip: '10.10.11.37' };
const ALB_NODE: Endpoint = { kind: 'external', ip: '10.20.1.45' };
const INTERNET: Endpoint = { kind: 'external', ip: '104.18.20.34' };
const METADATA: Endpoint = { kind: 'external', ip: '169.254.169.254' };
const pod = (namespace: string, labels: Record<string, string>, ip = '10.20.16.77'): Endpoint => ({ kind: 'pod', namespace, labels, ip });
const COREDNS = pod('kube-system', { 'k8s-app': 'kube-dns' }, '10.20.32.10');
const ADMIN_UI = pod('backoffice', { app: 'admin-ui' });
const SOME_POD = pod('default', { app: 'anything' });

describe('NetworkPolicies on the rendered Ory pods', () => {
  it('deny every flow of every rendered pod (servers, migration jobs, hydra-maester) unless a policy admits it', () => {
    for (const v of [variant('defaults'), variant('configured')]) {
      for (const service of SERVICES) {
        for (const template of pods(v, service)) {
          for (const direction of ['Ingress', 'Egress'] as const) {
            expect(isolating(v.policies, subject(template), direction).map((p) => p.name), `${template.owner} ${direction}`).toContain('default-deny');
          }
        }
      }
    }
    expect(pods(variant('configured'), 'hydra').map((p) => p.owner)).toContain('Deployment/hydra-hydra-maester');
  });

  it('admit no pod of the cluster to the admin and write ports by default, not even another Ory service', () => {
    const { policies } = variant('defaults');
    for (const [service, ports] of [['hydra', [4445]], ['kratos', [4434]], ['keto', [4466, 4467]]] as const) {
      for (const port of ports) {
        for (const from of [SOME_POD, ADMIN_UI, pod('ory', { 'app.kubernetes.io/name': 'kratos', 'app.kubernetes.io/instance': 'kratos' })]) {
          expect(ingressAllowed(policies, subject(server(variant('defaults'), service)), from, { port }), `${service}:${port}`).toBe(false);
        }
      }
    }
  });

  it('admit exactly the configured clients to the admin and write ports, and hydra-maester to Hydra admin', () => {
    const { policies } = variant('configured');
    const hydra = subject(server(variant('configured'), 'hydra'));
    const keto = subject(server(variant('configured'), 'keto'));
    expect(ingressAllowed(policies, hydra, ADMIN_UI, { port: 4445 })).toBe(true);
    expect(ingressAllowed(policies, hydra, pod('backoffice', { app: 'other' }), { port: 4445 })).toBe(false);
    expect(ingressAllowed(policies, keto, pod('permissions', { app: 'anything' }), { port: 4467 })).toBe(true);
    expect(ingressAllowed(policies, keto, pod('permissions', { app: 'anything' }), { port: 4468 })).toBe(false);
    expect(ingressAllowed(policies, hydra, SOME_POD, { port: 4445 })).toBe(false);
    const maester = maesterOf(variant('configured'));
    expect(ingressAllowed(policies, hydra, pod('ory', maester.metadata.labels ?? {}), { port: 4445 })).toBe(true);
    expect(egressAllowed(policies, subject(maester), pod('ory', hydra.labels), { port: 4445 })).toBe(true);
    expect(egressAllowed(policies, subject(maester), SQL_LOAD_BALANCER, { port: 26257 })).toBe(false);
  });

  it('admit the public ports from the load balancer subnets only, and only when there is a public load balancer', () => {
    const hydra = (v: Variant) => subject(server(v, 'hydra'));
    const kratos = (v: Variant) => subject(server(v, 'kratos'));
    expect(ingressAllowed(variant('configured').policies, hydra(variant('configured')), ALB_NODE, { port: 4444 })).toBe(true);
    expect(ingressAllowed(variant('configured').policies, kratos(variant('configured')), ALB_NODE, { port: 4433 })).toBe(true);
    expect(ingressAllowed(variant('configured').policies, hydra(variant('configured')), ALB_NODE, { port: 4445 })).toBe(false);
    expect(ingressAllowed(variant('configured').policies, hydra(variant('configured')), SOME_POD, { port: 4444 })).toBe(false);
    expect(ingressAllowed(variant('configured').policies, subject(server(variant('configured'), 'keto')), ALB_NODE, { port: 4466 })).toBe(false);
    expect(ingressAllowed(variant('defaults').policies, hydra(variant('defaults')), ALB_NODE, { port: 4444 })).toBe(false);
  });

  it('let each server and migration job reach CockroachDB on 26257 and DNS, and nothing else of the network or the instance metadata', () => {
    for (const v of [variant('defaults'), variant('configured')]) {
      for (const service of SERVICES) {
        for (const template of [server(v, service), job(v, service)]) {
          const from = subject(template);
          expect(egressAllowed(v.policies, from, SQL_LOAD_BALANCER, { port: 26257 }), `${template.owner} to SQL`).toBe(true);
          expect(egressAllowed(v.policies, from, COREDNS, { port: 53, protocol: 'UDP' }), `${template.owner} DNS`).toBe(true);
          expect(egressAllowed(v.policies, from, COREDNS, { port: 53, protocol: 'TCP' })).toBe(true);
          expect(egressAllowed(v.policies, from, SQL_LOAD_BALANCER, { port: 8080 })).toBe(false);
          expect(egressAllowed(v.policies, from, { kind: 'external', ip: '10.20.16.5' }, { port: 26257 })).toBe(false);
          expect(egressAllowed(v.policies, from, METADATA, { port: 80 })).toBe(false);
          expect(egressAllowed(v.policies, from, { kind: 'external', ip: '8.8.8.8' }, { port: 53, protocol: 'UDP' })).toBe(false);
          expect(egressAllowed(v.policies, from, pod('ory', server(v, 'hydra').metadata.labels ?? {}), { port: 4445 })).toBe(false);
        }
      }
    }
  });

  it("let Kratos's server (not its job, not the others) reach the internet on 443 for the breached-password check, only when it is on", () => {
    const { policies } = variant('defaults');
    expect(egressAllowed(policies, subject(server(variant('defaults'), 'kratos')), INTERNET, { port: 443 })).toBe(true);
    expect(egressAllowed(policies, subject(server(variant('defaults'), 'kratos')), { kind: 'external', ip: '10.10.10.10' }, { port: 443 })).toBe(false);
    expect(egressAllowed(policies, subject(server(variant('defaults'), 'kratos')), METADATA, { port: 443 })).toBe(false);
    expect(egressAllowed(policies, subject(job(variant('defaults'), 'kratos')), INTERNET, { port: 443 })).toBe(false);
    expect(egressAllowed(policies, subject(server(variant('defaults'), 'hydra')), INTERNET, { port: 443 })).toBe(false);
    expect(egressAllowed(variant('configured').policies, subject(server(variant('configured'), 'kratos')), INTERNET, { port: 443 })).toBe(false);
  });

  it('meet the VPC CNI condition that every Service port is its container port (EKS User Guide, network policy considerations)', () => {
    for (const service of SERVICES) {
      const { manifests } = variant('configured').rendered[service];
      for (const svc of manifests.filter((m) => m.kind === 'Service')) {
        for (const port of svc['spec'].ports) {
          const containers = deployments(manifests).flatMap((d) => d.spec['containers'] ?? []);
          const target = containers.flatMap((c: Json) => c.ports ?? []).find((p: Json) => p.name === port.targetPort || p.containerPort === port.targetPort);
          expect(target?.containerPort, `${svc.metadata.name}:${port.port}`).toBe(port.port);
        }
      }
    }
  });
});

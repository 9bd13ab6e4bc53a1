import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ORY_NAMESPACE_DENY_BY_DEFAULT, ORY_NAMESPACE_RESTRICTED } from '../src';
import { findings } from './fixture';

function ory(s: TerraformStack, labels: Record<string, string>, policies: (namespace: string) => void): void {
  const namespace = new NamespaceV1(s, 'ory-namespace', { metadata: { name: 'ory', labels } });
  for (const chart of ['hydra', 'kratos', 'keto']) new Release(s, chart, { name: chart, chart, repository: 'https://k8s.ory.com/helm/charts', namespace: namespace.metadata.name });
  policies(namespace.metadata.name);
}

const denyAll = (s: TerraformStack, namespace: string) =>
  new NetworkPolicyV1(s, 'default-deny', { metadata: { name: 'default-deny', namespace }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });

describe('CRDB-ORY-002 deny by default where Ory runs', () => {
  it('passes a namespace with a default-deny policy next to the policies that admit flows', () => {
    const result = findings(ORY_NAMESPACE_DENY_BY_DEFAULT, (s) =>
      ory(s, {}, (namespace) => {
        denyAll(s, namespace);
        new NetworkPolicyV1(s, 'dns', { metadata: { name: 'dns', namespace }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: '53', protocol: 'UDP' }] }] } });
      }),
    );
    expect(result).toEqual([]);
  });

  it('fails a namespace whose only policies admit something (no default deny), for each Ory release', () => {
    const result = findings(ORY_NAMESPACE_DENY_BY_DEFAULT, (s) =>
      ory(s, {}, (namespace) => {
        new NetworkPolicyV1(s, 'allow-all-ingress', { metadata: { name: 'allow', namespace }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } });
        new NetworkPolicyV1(s, 'deny-hydra-only', { metadata: { name: 'hydra', namespace }, spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'hydra' } }, policyTypes: ['Ingress', 'Egress'] } });
      }),
    );
    expect(result.map((f) => [f.ruleId, f.address])).toEqual([
      ['CRDB-ORY-002', 'helm_release.hydra'],
      ['CRDB-ORY-002', 'helm_release.kratos'],
      ['CRDB-ORY-002', 'helm_release.keto'],
    ]);
  });
});

describe('CRDB-ORY-003 restricted Pod Security where Ory runs', () => {
  it('passes a managed namespace enforcing restricted', () => {
    expect(findings(ORY_NAMESPACE_RESTRICTED, (s) => ory(s, { 'pod-security.kubernetes.io/enforce': 'restricted' }, (n) => denyAll(s, n)))).toEqual([]);
  });

  it('fails baseline, and releases into a namespace the stack does not manage', () => {
    const baseline = findings(ORY_NAMESPACE_RESTRICTED, (s) => ory(s, { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }, () => undefined));
    expect(baseline.map((f) => [f.ruleId, f.address, f.message])).toEqual([['CRDB-ORY-003', 'kubernetes_namespace_v1.ory-namespace', 'namespace "ory" runs Ory with pod-security.kubernetes.io/enforce "baseline"']]);
    const unmanaged = findings(ORY_NAMESPACE_RESTRICTED, (s) => {
      new Release(s, 'keto', { name: 'keto', chart: 'keto', namespace: 'shared' });
    });
    expect(unmanaged.map((f) => f.message)).toEqual(['installs into namespace "shared", which this stack does not manage: its Pod Security level cannot be checked']);
  });
});

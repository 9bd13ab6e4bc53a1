import { Release } from '@cdktf/provider-helm/lib/release';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Fn } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import { ORY_ADMIN_NOT_PUBLIC } from '../src';
import { findings } from './fixture';

const lbService = (annotations: Record<string, string>, port: number) => ({
  metadata: { name: 'hydra-lb', annotations },
  spec: { type: 'LoadBalancer', port: [{ port, targetPort: String(port) }] },
});
const ingress = (annotations: Record<string, string>, service: string, port: number) => ({
  metadata: { name: 'ory', annotations },
  spec: { rule: [{ http: { path: [{ path: '/', backend: { service: { name: service, port: { number: port } } } }] } }] },
});

describe('CRDB-ORY-001 Ory admin ports never public', () => {
  it('passes public ports on an internet-facing LB, admin ports on an internal LB, and a public-only chart', () => {
    const result = findings(ORY_ADMIN_NOT_PUBLIC, (s) => {
      new ServiceV1(s, 'public', lbService({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }, 4444));
      new ServiceV1(s, 'admin', lbService({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }, 4445));
      new IngressV1(s, 'ingress', ingress({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }, 'hydra-public', 4444));
      new Release(s, 'hydra', { name: 'hydra', chart: 'hydra', values: ['ingress:\n  public:\n    enabled: true\nservice:\n  admin:\n    type: ClusterIP\n'] });
    });
    expect(result).toEqual([]);
  });

  it('fails the admin port on a LoadBalancer service not marked internal, and an ingress to Keto write', () => {
    const result = findings(ORY_ADMIN_NOT_PUBLIC, (s) => {
      new ServiceV1(s, 'admin', lbService({}, 4434));
      new IngressV1(s, 'ingress', ingress({}, 'keto-write', 4467));
    });
    expect(result.map((f) => [f.ruleId, f.constructPath])).toEqual([
      ['CRDB-ORY-001', 'fixture/admin'],
      ['CRDB-ORY-001', 'fixture/ingress'],
    ]);
  });

  it('fails Helm values that expose the admin service or ingress', () => {
    const result = findings(ORY_ADMIN_NOT_PUBLIC, (s) => {
      new Release(s, 'hydra', { name: 'hydra', chart: 'hydra', repository: 'https://k8s.ory.com/helm/charts', values: ['service:\n  admin:\n    type: LoadBalancer\n'] });
      new Release(s, 'keto', { name: 'keto', chart: 'keto', set: [{ name: 'ingress.write.enabled', value: 'true' }] });
    });
    expect(result.map((f) => f.message)).toEqual([expect.stringContaining('service.admin.type is LoadBalancer'), expect.stringContaining('ingress.write.enabled')]);
  });

  it('fails closed on values it cannot read', () => {
    const result = findings(ORY_ADMIN_NOT_PUBLIC, (s) => {
      new Release(s, 'kratos', { name: 'kratos', chart: 'kratos', values: [Fn.yamlencode({ service: { admin: { type: 'ClusterIP' } } })] });
    });
    assert.exists(result[0], 'a finding');
    expect(result[0].message).toContain('cannot be read');
  });
});

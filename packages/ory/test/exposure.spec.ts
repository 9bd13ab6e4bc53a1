import { TerraformResource, TerraformStack, Testing } from 'cdktf';
import { assert, describe, expect, it } from 'vitest';
import { ValidationError } from '@crdb-ory/core';
import { OryStack, PublicCertificate, PublicIngress, findOryExposureViolations } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { BASE_PROPS, synthOry } from './support/synth-ory';

const CIDRS = ['203.0.113.0/24', '198.51.100.7/32'];
const annotation = (ingress: any, key: string) => ingress.metadata.annotations[`alb.ingress.kubernetes.io/${key}`];
const backends = (ingress: any) => ingress.spec.rule.flatMap((r: any) => r.http.path.map((p: any) => p.backend.service));

describe('public exposure', () => {
  it('without publicAccessCidrs nothing is public: no Ingress, no certificate, no DNS record', () => {
    const { json } = synthOry({ domain: 'example.com' });
    expect(Template.fromJSON(json).all('kubernetes_ingress_v1')).toEqual([]);
    expect(Template.fromJSON(json).all('aws_acm_certificate')).toEqual([]);
    expect(Template.fromJSON(json).all('aws_route53_record')).toEqual([]);
    expect(json.output.public_load_balancer_hostname.value).toBe('');
  });

  it('with a domain: one internet-facing ALB for Hydra and Kratos public, HTTPS only, restricted to the CIDRs', () => {
    const { json } = synthOry({ domain: 'example.com', publicAccessCidrs: CIDRS });
    const ingresses = Template.fromJSON(json).all('kubernetes_ingress_v1');
    expect(ingresses.flatMap(backends)).toEqual([
      { name: 'hydra-public', port: { number: 4444 } },
      { name: 'kratos-public', port: { number: 4433 } },
    ]);
    for (const ingress of ingresses) {
      expect(ingress.spec.ingress_class_name).toBe('alb');
      expect(annotation(ingress, 'scheme')).toBe('internet-facing');
      expect(annotation(ingress, 'group.name')).toBe('crdb-ory-ory');
      expect(annotation(ingress, 'inbound-cidrs')).toBe(CIDRS.join(','));
      expect(JSON.parse(annotation(ingress, 'listen-ports'))).toEqual([{ HTTPS: 443 }]);
      expect(annotation(ingress, 'certificate-arn')).toMatch(/^\$\{aws_acm_certificate_validation\..*\.certificate_arn\}$/);
      expect(annotation(ingress, 'subnets')).toContain('ory_public_subnet_ids');
    }
    expect(ingresses.map((i) => i.spec.rule[0].host)).toEqual(['hydra.example.com', 'kratos.example.com']);
  });

  it('with a domain: a DNS-validated ACM certificate and CNAMEs to the ALB in the public zone', () => {
    const { json } = synthOry({ domain: 'example.com', publicAccessCidrs: CIDRS });
    const [certificate] = Template.fromJSON(json).all('aws_acm_certificate');
    expect(certificate).toMatchObject({ domain_name: 'hydra.example.com', subject_alternative_names: ['kratos.example.com'], validation_method: 'DNS' });
    expect(Object.values(json.data.aws_route53_zone)).toEqual([{ name: 'example.com', private_zone: false }]);
    const cnames = Template.fromJSON(json).all('aws_route53_record').filter((r) => r.type === 'CNAME');
    expect(cnames.map((r) => r.name)).toEqual(['hydra.example.com', 'kratos.example.com']);
    for (const record of cnames) expect(record.records).toEqual([expect.stringMatching(/^\$\{kubernetes_ingress_v1\..*\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname\}$/)]);
    const [validation, ...more] = Template.fromJSON(json).all('aws_route53_record').filter((r) => r.for_each);
    expect(more).toEqual([]);
    assert.exists(validation, 'the for_each validation record');
    expect(validation.for_each).toContain('domain_validation_options');
  });

  it('without a domain: plain HTTP on each service\'s own port (non-production), no certificate', () => {
    const { json } = synthOry({ publicAccessCidrs: CIDRS });
    const ingresses = Template.fromJSON(json).all('kubernetes_ingress_v1');
    expect(ingresses.map((i) => JSON.parse(annotation(i, 'listen-ports')))).toEqual([[{ HTTP: 4444 }], [{ HTTP: 4433 }]]);
    expect(ingresses.every((i) => annotation(i, 'certificate-arn') === undefined && i.spec.rule[0].host === undefined)).toBe(true);
    expect(Template.fromJSON(json).all('aws_acm_certificate')).toEqual([]);
  });

  it('Keto read joins the ALB only when configured; Keto write never', () => {
    const { json } = synthOry({ domain: 'example.com', publicAccessCidrs: CIDRS, exposeKetoReadApi: true });
    const services = Template.fromJSON(json).all('kubernetes_ingress_v1').flatMap(backends).map((s: any) => `${s.name}:${s.port.number}`);
    expect(services.sort()).toEqual(['hydra-public:4444', 'keto-read:4466', 'kratos-public:4433']);
    expect(json.output.keto_read_url.value).toBe('https://keto.example.com/');
  });
});

describe('policy: no Ory admin or write port behind an internet-facing load balancer', () => {
  const exposed = synthOry({ domain: 'example.com', publicAccessCidrs: CIDRS, exposeKetoReadApi: true }).json;

  it('the stack as built has no violation', () => {
    expect(findOryExposureViolations(exposed)).toEqual([]);
    expect(findOryExposureViolations(synthOry().json)).toEqual([]);
  });

  it('flags an internet-facing Ingress that routes to an admin port', () => {
    const tampered = structuredClone(exposed);
    const [name, ingress] = Object.entries(tampered.resource.kubernetes_ingress_v1 as Record<string, any>)[0] ?? [];
    ingress.spec.rule[0].http.path[0].backend.service = { name: 'hydra-admin', port: { number: 4445 } };
    expect(findOryExposureViolations(tampered).map((f) => [f.ruleId, f.address, f.message])).toEqual([
      ['CRDB-ORY-001', `kubernetes_ingress_v1.${name}`, 'ingress not marked internal routes to Ory admin service hydra-admin'],
    ]);
  });

  it('flags a release that makes an admin or write Service a LoadBalancer or enables its chart Ingress', () => {
    const tampered = structuredClone(exposed);
    const keto = tampered.resource.helm_release.keto;
    keto.values = [keto.values[0].replace(/write:\n(\s+)enabled: true\n\s+type: "ClusterIP"/, 'write:\n$1enabled: true\n$1type: "LoadBalancer"')];
    tampered.resource.helm_release.kratos.values.push('ingress:\n  admin:\n    enabled: true\n');
    expect(findOryExposureViolations(tampered).map((f) => `${f.address}: ${f.message}`).sort()).toEqual([
      'helm_release.keto: service.write.type is LoadBalancer without an internal scheme annotation',
      'helm_release.kratos: ingress.admin.enabled is true without an internal scheme annotation',
    ]);
  });

  it('the stack refuses to synthesize when an override exposes an admin API', () => {
    const app = Testing.app();
    const stack = new OryStack(app, BASE_PROPS);
    const hydra = stack.node.findChild('hydra') as TerraformResource;
    hydra.addOverride('values', ['service:\n  admin:\n    type: LoadBalancer\n']);
    expect(() => app.synth()).toThrow(/CRDB-ORY-001 helm_release\.hydra: service\.admin\.type is LoadBalancer without an internal scheme annotation/);
  });

  it('PublicIngress refuses an admin or write port outright', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(
      () =>
        new PublicIngress(stack, 'ingress', {
          namespace: 'ory',
          groupName: 'g',
          endpoints: [{ serviceName: 'keto-write', port: 4467 }],
          allowedCidrs: CIDRS,
          publicSubnetIds: ['subnet-1'],
        }),
    ).toThrow(/Invalid props of s\/ingress:\n {2}- endpoints\[0\]\.port = 4467: port 4467 of keto-write is an Ory admin or write port/);
    expect(
      () => new PublicIngress(stack, 'open', { namespace: 'ory', groupName: 'g', endpoints: [{ serviceName: 'hydra-public', port: 4444 }], allowedCidrs: [], publicSubnetIds: [] }),
    ).toThrow(/allowedCidrs = \[\]: must not be empty/);
  });
});

describe('the public constructs report bad props as one ValidationError naming their path', () => {
  it('PublicIngress and PublicCertificate', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const errorOf = (build: () => unknown): unknown => {
      try {
        build();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const ingress = errorOf(() => new PublicIngress(stack, 'ingress', { namespace: 'ory', groupName: 'g', endpoints: [{ serviceName: 'hydra-admin', port: 4445 }], allowedCidrs: [], publicSubnetIds: [] }));
    expect(ingress).toBeInstanceOf(ValidationError);
    expect(ingress).toMatchObject({ constructPath: 's/ingress', problems: [{ prop: 'allowedCidrs', value: [] }, { prop: 'endpoints[0].port', value: 4445 }] });
    const certificate = errorOf(() => new PublicCertificate(stack, 'certificate', { domain: 'example.com', hostnames: [] }));
    expect(certificate).toBeInstanceOf(ValidationError);
    expect(certificate).toMatchObject({ constructPath: 's/certificate', problems: [{ prop: 'hostnames', value: [], message: 'must list at least one host name' }] });
  });
});

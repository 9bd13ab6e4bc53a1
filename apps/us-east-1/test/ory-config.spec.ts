import { EKS_NO_API_ACCESS_WARNING, EKS_STACK_NAME } from '@crdb-ory/eks';
import { DEV_MODE_WARNING, ORY_NO_API_ACCESS_WARNING, ORY_STACK_NAME } from '@crdb-ory/ory';
import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { oryStackProps } from '@crdb-ory/deployment';
import { buildStacks } from '../src/stacks';
import { deployableIssuesOf as issuesOf, withOperatorAccess } from './helpers';
import { synthesizeAll } from '../src/synthesize';

describe('ory configuration', () => {
  it('the defaults give the reference Ory stack', () => {
    const props = oryStackProps(resolveConfig(undefined));
    expect(props).toMatchObject({
      chartVersion: '0.62.1',
      chartRepository: 'https://k8s.ory.com/helm/charts',
      namespace: 'ory',
      publicAccessCidrs: [],
      ketoNamespaces: ['documents'],
      exposeKetoReadApi: false,
      kratosBreachedPasswordCheck: true,
      hydraMaesterEnabled: false,
      sqlMaxConnLifetimeSeconds: 300,
      hydra: { replicas: 3, cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
    });
    expect(props.domain).toBeUndefined();
    expect(props.clusterApiAccess).toEqual({ endpointPublicAccessCidrs: [], endpointPrivateAccessCidrs: [] });
  });

  it('settings flow into the stack props', () => {
    const config = resolveConfig(
      withOperatorAccess({
        domain: 'example.com',
        publicAccessCidrs: ['203.0.113.0/24'],
        ory: { hydra: { replicas: 5, issuerUrl: 'https://login.example.com/' }, keto: { namespaces: ['documents', 'folders'], exposeReadApi: true } },
      }),
    );
    const props = oryStackProps(config);
    expect(props).toMatchObject({ domain: 'example.com', hydraIssuerUrl: 'https://login.example.com/', ketoNamespaces: ['documents', 'folders'], exposeKetoReadApi: true });
    expect(props.publicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(props.clusterApiAccess).toEqual({ endpointPublicAccessCidrs: [], endpointPrivateAccessCidrs: ['10.99.0.0/16'] });
    expect(props.hydra?.replicas).toBe(5);
    expect(props.kratos?.replicas).toBe(3);
  });

  it('names the setting, the value and what is allowed', () => {
    expect(issuesOf({ ory: { chartVersion: 'latest' } })).toEqual(['ory.chartVersion: must be a chart version like 0.62.1']);
    // Past the NLB's idle timeout and past the drain's connection phase: both rules, each once.
    expect(issuesOf({ ory: { sql: { maxConnLifetimeSeconds: 400 } } })).toEqual([
      expect.stringMatching(/^ory\.sql\.maxConnLifetimeSeconds: must be below cockroach\.drain\.connectionsTimeoutSeconds, the drain's connection phase/),
      'ory.sql.maxConnLifetimeSeconds: must be whole seconds from 10 to 349: below the load balancer idle timeout (350)',
    ]);
    expect(issuesOf({ ory: { hydra: { memoryLimit: '512MB' } } })).toEqual(['ory.hydra.memoryLimit: must be a Kubernetes memory quantity like 256Mi or 1Gi']);
    expect(issuesOf({ ory: { kratos: { breachedPasswordChek: false } } })[0]).toMatch(/^ory\.kratos\.breachedPasswordChek: is not a known setting/);
    expect(issuesOf({ ory: { keto: { namespaces: [] } } })).toEqual(['ory.keto.namespaces: must list at least one namespace']);
  });

  it('refuses a memory request above its limit (Kubernetes refuses the pod)', () => {
    expect(issuesOf({ ory: { kratos: { memoryRequest: '1Gi', memoryLimit: '512Mi' } } })).toEqual([
      'ory.kratos.memoryRequest: must not exceed ory.kratos.memoryLimit (512Mi): Kubernetes refuses a pod whose memory request is above its limit',
    ]);
    expect(issuesOf({ ory: { keto: { memoryRequest: '512Mi', memoryLimit: '512Mi' } } })).toEqual([]);
    expect(issuesOf({ ory: { hydra: { memoryRequest: '1024Ki', memoryLimit: '1Mi' } } })).toEqual([]);
  });

  it('refuses more end-user CIDRs than the public load balancer security group holds', () => {
    const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `198.51.${i}.0/24`);
    // Without a domain: plain HTTP on 4444 and 4433, two rules per CIDR.
    expect(issuesOf({ publicAccessCidrs: cidrs(31) })).toEqual([
      'publicAccessCidrs: must list at most 30 CIDRs: the public load balancer\'s security group gets one rule per CIDR and listener port (4444, 4433) and holds 60 inbound rules (default quota); summarize them into fewer blocks',
    ]);
    expect(issuesOf({ publicAccessCidrs: cidrs(30) })).toEqual([]);
    expect(issuesOf({ publicAccessCidrs: cidrs(21), ory: { keto: { exposeReadApi: true } } })[0]).toMatch(/at most 20 CIDRs.*\(4444, 4433, 4466\)/);
    // With a domain: one HTTPS listener.
    expect(issuesOf({ domain: 'example.com', publicAccessCidrs: cidrs(60) })).toEqual([]);
    expect(issuesOf({ domain: 'example.com', publicAccessCidrs: Array.from({ length: 2000 }, (_, i) => `100.${64 + Math.floor(i / 250)}.${i % 250}.0/24`) })[0]).toMatch(/^publicAccessCidrs: must list at most 60 CIDRs/);
  });

  it('opens only the public load balancer for end users: 0.0.0.0/0 is allowed there', () => {
    expect(issuesOf({ publicAccessCidrs: ['0.0.0.0/0'] })).toEqual([]);
  });

  it('cross-setting rules: https with a domain, distinct Keto namespaces, Keto read exposure needs public access', () => {
    expect(issuesOf({ domain: 'example.com', ory: { hydra: { issuerUrl: 'http://hydra.example.com/' } } })).toEqual([
      'ory.hydra.issuerUrl: must be an https URL when domain is set (production mode); http is only allowed without a domain',
    ]);
    expect(issuesOf({ ory: { hydra: { issuerUrl: 'http://10.0.0.1:4444/' } } })).toEqual([]);
    expect(issuesOf({ ory: { keto: { namespaces: ['documents', 'documents'] } } })).toEqual(['ory.keto.namespaces: must not repeat a namespace']);
    expect(issuesOf({ ory: { keto: { exposeReadApi: true } } })[0]).toMatch(/^ory\.keto\.exposeReadApi: publishes through the public load balancer/);
  });
});

describe('the ory stack in the app', () => {
  it('synthesizes with the defaults, warning about the non-production mode; the API access gap is the eks stack\'s warning, said once', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'ory-app-')) });
    buildStacks(app, resolveConfig(undefined));
    const warningsOf = (name: string) => app.node.findChild(name).node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => m.data);
    expect(warningsOf(ORY_STACK_NAME)).toEqual([DEV_MODE_WARNING]);
    expect(warningsOf(EKS_STACK_NAME)).toEqual([EKS_NO_API_ACCESS_WARNING]);
    const all = app.node.children.flatMap((stack) => warningsOf(stack.node.id));
    expect(all.filter((w) => w === ORY_NO_API_ACCESS_WARNING || w === EKS_NO_API_ACCESS_WARNING)).toHaveLength(1);
  });

  it('stops its plan at reading the eks state when nobody can reach the Kubernetes API (the defaults)', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ory-synth-')), 'cdktf.out');
    synthesizeAll(resolveConfig(undefined), outdir);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', ORY_STACK_NAME, 'cdk.tf.json'), 'utf8'));
    expect(json.locals.kubernetes_api_access).toEqual({ endpoint_public_access_cidrs: [], endpoint_private_access_cidrs: [] });
    expect(json.data.terraform_remote_state['remote-state-eks'].lifecycle.precondition).toEqual([
      {
        condition: '${((length(local.kubernetes_api_access.endpoint_public_access_cidrs) + length(local.kubernetes_api_access.endpoint_private_access_cidrs)) >= 1)}',
        error_message: expect.stringContaining('in crdb-ory.config.json these are eks.endpointPrivateAccessCidrs and eks.endpointPublicAccessCidrs'),
      },
    ]);
  });

  it('with operator access configured, declares it and warns only about the non-production mode', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'ory-app-')) });
    buildStacks(app, resolveConfig(withOperatorAccess({})));
    const stack = app.node.findChild(ORY_STACK_NAME);
    expect(stack.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => m.data)).toEqual([DEV_MODE_WARNING]);
  });

  it('writes cdktf.out/stacks/ory with the three releases', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'ory-synth-')), 'cdktf.out');
    synthesizeAll(resolveConfig(undefined), outdir);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', ORY_STACK_NAME, 'cdk.tf.json'), 'utf8'));
    const charts = Object.values(json.resource.helm_release as Record<string, any>).map((r) => r.chart).sort();
    expect(charts).toEqual(['aws-load-balancer-controller', 'hydra', 'keto', 'kratos']);
    expect(parse(json.resource.helm_release.keto.values[0]).keto.config.namespaces).toEqual([{ id: 0, name: 'documents' }]);
  });
});

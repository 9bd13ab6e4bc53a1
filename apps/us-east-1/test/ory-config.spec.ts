import { DEV_MODE_WARNING, ORY_STACK_NAME } from '@crdb-ory/ory';
import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { oryStackProps } from '../src/ory-stack-props';
import { buildStacks } from '../src/stacks';
import { issuesOf } from './helpers';
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
  });

  it('settings flow into the stack props', () => {
    const config = resolveConfig({
      domain: 'example.com',
      publicAccessCidrs: ['203.0.113.0/24'],
      ory: { hydra: { replicas: 5, issuerUrl: 'https://login.example.com/' }, keto: { namespaces: ['documents', 'folders'], exposeReadApi: true } },
    });
    const props = oryStackProps(config);
    expect(props).toMatchObject({ domain: 'example.com', hydraIssuerUrl: 'https://login.example.com/', ketoNamespaces: ['documents', 'folders'], exposeKetoReadApi: true });
    expect(props.hydra?.replicas).toBe(5);
    expect(props.kratos?.replicas).toBe(3);
  });

  it('names the setting, the value and what is allowed', () => {
    expect(issuesOf({ ory: { chartVersion: 'latest' } })).toEqual(['ory.chartVersion: must be a chart version like 0.62.1']);
    expect(issuesOf({ ory: { sql: { maxConnLifetimeSeconds: 400 } } })[0]).toMatch(/^ory\.sql\.maxConnLifetimeSeconds: .*349/);
    expect(issuesOf({ ory: { hydra: { memoryLimit: '512MB' } } })).toEqual(['ory.hydra.memoryLimit: must be a Kubernetes memory quantity like 256Mi or 1Gi']);
    expect(issuesOf({ ory: { kratos: { breachedPasswordChek: false } } })[0]).toMatch(/^ory\.kratos\.breachedPasswordChek: is not a known setting/);
    expect(issuesOf({ ory: { keto: { namespaces: [] } } })[0]).toMatch(/^ory\.keto\.namespaces: /);
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
  it('synthesizes with the defaults, warning about the non-production mode', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'ory-app-')) });
    buildStacks(app, resolveConfig(undefined));
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

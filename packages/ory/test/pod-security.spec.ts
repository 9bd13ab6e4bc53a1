/**
 * The pods Helm renders for Hydra, Kratos and Keto (servers, migration jobs, hydra-maester) pass
 * the `restricted` Pod Security Standard the Ory namespace enforces, control by control as the
 * Kubernetes docs list them (support/pod-security.ts): a pod that failed it would be refused at
 * admission and the release would never become ready.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { podTemplates, type PodTemplate } from './support/manifest-checks';
import { restrictedProblems } from './support/pod-security';
import { renderOryReleases } from './support/render-ory';
import { synthOry } from './support/synth-ory';

const SERVICES = ['hydra', 'kratos', 'keto'] as const;
const templates: PodTemplate[] = [];

beforeAll(async () => {
  for (const props of [{}, { hydraMaesterEnabled: true, publicAccessCidrs: ['203.0.113.0/24'], domain: 'example.com' }]) {
    const rendered = await renderOryReleases(synthOry(props).json);
    templates.push(...SERVICES.flatMap((service) => podTemplates(rendered[service].manifests)));
  }
}, 180_000);

describe('restricted Pod Security on the rendered pods', () => {
  it('covers every pod an install creates: each Deployment and each migration Job, hydra-maester when on', () => {
    expect([...new Set(templates.map((t) => t.owner))].sort()).toEqual([
      'Deployment/hydra',
      'Deployment/hydra-hydra-maester',
      'Deployment/keto',
      'Deployment/kratos',
      'Job/hydra-automigrate',
      'Job/keto-automigrate',
      'Job/kratos-automigrate',
    ]);
  });

  it('finds no violation of the restricted profile in any of them', () => {
    expect(templates.flatMap(restrictedProblems)).toEqual([]);
  });

  it('reports each control a pod breaks (the check can fail)', () => {
    const template = templates.find((t) => t.owner === 'Job/kratos-automigrate');
    if (!template) throw new Error('no Job/kratos-automigrate rendered');
    const broken = structuredClone(template) as PodTemplate & { spec: Record<string, any> };
    broken.spec['hostNetwork'] = true;
    broken.spec['volumes'] = [...(broken.spec['volumes'] ?? []), { name: 'host', hostPath: { path: '/' } }];
    const container = broken.spec['containers'][0];
    container.securityContext = { ...container.securityContext, allowPrivilegeEscalation: true, runAsUser: 0, capabilities: { add: ['SYS_ADMIN'] }, seccompProfile: { type: 'Unconfined' } };
    const controls = restrictedProblems(broken).map((p) => p.split(': ')[1]);
    expect([...new Set(controls)].sort()).toEqual(['Capabilities', 'Capabilities (restricted)', 'Host Namespaces', 'HostPath Volumes', 'Privilege Escalation', 'Running as Non-root user', 'Seccomp', 'Volume Types']);
  });
});

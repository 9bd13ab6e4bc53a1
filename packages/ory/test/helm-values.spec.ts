import { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CERTS_MOUNT_PATH, CERTS_VOLUME_NAME, DEV_MODE_WARNING, ORY_PORTS, SECRET_CHECKSUM_ANNOTATION } from '../src';
import { synthOry } from './support/synth-ory';

const ORY_RELEASES = ['hydra', 'kratos', 'keto'] as const;
const defaults = synthOry();

function warningsOf(construct: IConstruct): unknown[] {
  return construct.node.metadata.filter((entry) => /warn/i.test(entry.type)).map((entry) => entry.data);
}

describe('Ory Helm releases', () => {
  it('installs the three charts, pinned, from Ory\'s repository, atomically', () => {
    const releases = Object.values(defaults.json.resource.helm_release as Record<string, any>).filter((r) => ORY_RELEASES.includes(r.chart));
    expect(releases.map((r) => r.name).sort()).toEqual(['hydra', 'keto', 'kratos']);
    for (const release of releases) {
      expect(release).toMatchObject({ repository: 'https://k8s.ory.com/helm/charts', version: '0.62.1', atomic: true });
      expect(release.namespace).toMatch(/^\$\{kubernetes_namespace_v1\..*\.metadata\[0\]\.name\}$/);
    }
  });

  it.each(ORY_RELEASES)('%s: installed after its Secret, the load balancer controller (whose webhooks see its Services) and the namespace\'s NetworkPolicies (a pod may talk freely until its policies apply)', (service) => {
    const release = defaults.json.resource.helm_release[service];
    const policies = Object.keys(defaults.json.resource.kubernetes_network_policy_v1).map((name) => `kubernetes_network_policy_v1.${name}`);
    expect(release.depends_on.slice(0, 2)).toEqual([
      expect.stringMatching(new RegExp(`^kubernetes_secret_v1\\.${service}-secret_`)),
      expect.stringMatching(/^helm_release\.aws-load-balancer-controller_release_/),
    ]);
    expect(release.depends_on.slice(2).sort()).toEqual(policies.sort());
  });

  it.each(ORY_RELEASES)('%s: three replicas, spread across zones, a PDB and resource requests', (service) => {
    const values = defaults.values[service];
    expect(values.replicaCount).toBe(3);
    expect(values.pdb).toEqual({ enabled: true, spec: { maxUnavailable: 1 } });
    const zoneSpread = values.deployment.topologySpreadConstraints.find((c: any) => c.topologyKey === 'topology.kubernetes.io/zone');
    expect(zoneSpread).toEqual({
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': service, 'app.kubernetes.io/instance': service } },
    });
    expect(values.deployment.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(values.job.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
  });

  it.each(ORY_RELEASES)('%s: brings its own Secret and migrates in a job', (service) => {
    const values = defaults.values[service];
    expect(values.secret.enabled).toBe(false);
    const secretName = Object.entries(defaults.json.resource.kubernetes_secret_v1 as Record<string, any>).find(
      ([, secret]) => secret.metadata.name === `${service}-secrets`,
    )?.[0];
    expect(values.secret.nameOverride).toBe(`\${kubernetes_secret_v1.${secretName}.metadata[0].name}`);
    expect(values[service].automigration).toEqual({ enabled: true, type: 'job' });
  });

  it.each(ORY_RELEASES)('%s: mounts the client certificate in the deployment and (chart 0.62.1) the migration job', (service) => {
    // Chart 0.62.1's job-migration.yaml of all three charts mounts deployment.extraVolumes/extraVolumeMounts;
    // no job- or statefulSet-level override may replace them.
    const values = defaults.values[service];
    expect(values.deployment.extraVolumeMounts).toEqual([{ name: CERTS_VOLUME_NAME, mountPath: CERTS_MOUNT_PATH, readOnly: true }]);
    const [volume] = values.deployment.extraVolumes;
    expect(volume.name).toBe(CERTS_VOLUME_NAME);
    expect(volume.secret.secretName).toBe(values.secret.nameOverride);
    expect(volume.secret.defaultMode).toBe(0o440);
    expect(volume.secret.items.map((i: any) => i.key).sort()).toEqual(['ca.crt', 'client.crt', 'client.key']);
    expect(values.job?.extraVolumes).toBeUndefined();
    expect(values.extraVolumes).toBeUndefined();
  });

  it.each(ORY_RELEASES)('%s: its Deployment and migration Job carry the digest of its own Secret\'s content, known at plan time', (service) => {
    const values = defaults.values[service];
    const [secretName] = Object.entries(defaults.json.resource.kubernetes_secret_v1 as Record<string, any>).find(([, s]) => s.metadata.name === `${service}-secrets`) ?? [];
    // The Secret's configured data (planned with the new certificate), never a computed attribute such as metadata.resource_version.
    const checksum = `\${nonsensitive(sha256(jsonencode(kubernetes_secret_v1.${secretName}.data)))}`;
    expect(values.deployment.podMetadata.annotations).toEqual({ [SECRET_CHECKSUM_ANNOTATION]: checksum });
    expect(values.job.podMetadata.annotations).toEqual({ [SECRET_CHECKSUM_ANNOTATION]: checksum });
  });

  it.each(ORY_RELEASES)('%s: rolls one pod at a time (a new pod ready before an old one stops), where its chart reads the strategy', (service) => {
    const values = defaults.values[service];
    const strategy = service === 'kratos' ? values.strategy : values.deployment.strategy;
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(service === 'kratos' ? values.deployment.strategy : values.strategy).toBeUndefined();
  });

  it('keeps every Ory service ClusterIP with the Ory port numbers, and no chart ingress', () => {
    const { hydra, kratos, keto } = defaults.values;
    expect(hydra.service).toEqual({
      public: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.hydraPublic },
      admin: { enabled: true, type: 'ClusterIP', port: ORY_PORTS.hydraAdmin },
    });
    expect(kratos.service.public).toEqual({ enabled: true, type: 'ClusterIP', port: ORY_PORTS.kratosPublic });
    expect(kratos.service.admin).toEqual({ enabled: true, type: 'ClusterIP', port: ORY_PORTS.kratosAdmin });
    expect(keto.service.read).toEqual({ enabled: true, type: 'ClusterIP', port: ORY_PORTS.ketoRead });
    expect(keto.service.write).toEqual({ enabled: true, type: 'ClusterIP', port: ORY_PORTS.ketoWrite });
    for (const values of [hydra, kratos, keto]) {
      expect(Object.values(values.ingress).every((ingress: any) => ingress.enabled === false)).toBe(true);
    }
  });

  it('Hydra: maester off; without a domain dev mode, an http issuer and a synth warning', () => {
    const { hydra } = defaults.values;
    expect(hydra.maester).toEqual({ enabled: false });
    expect(hydra.hydra.dev).toBe(true);
    expect(hydra.hydra.config.urls.self.issuer).toBe('http://127.0.0.1:4444/');
    expect(warningsOf(defaults.stack)).toEqual([DEV_MODE_WARNING]);
  });

  it('Hydra: with a domain, an https issuer, no dev mode, no warning, TLS terminated only from the Ory VPC and port-forward', () => {
    const withDomain = synthOry({ domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'] });
    const { hydra } = withDomain.values;
    expect(hydra.hydra.dev).toBe(false);
    expect(hydra.hydra.config.urls.self).toEqual({
      issuer: 'https://hydra.example.com/',
      public: 'https://hydra.example.com/',
      admin: 'http://hydra-admin.ory.svc.cluster.local:4445/',
    });
    expect(hydra.hydra.config.serve.tls.allow_termination_from).toEqual(['${data.terraform_remote_state.remote-state-network.outputs.ory_vpc_cidr}', '127.0.0.1/32']);
    expect(warningsOf(withDomain.stack)).toEqual([]);
    expect(withDomain.values.kratos.kratos.config.serve.public.base_url).toBe('https://kratos.example.com/');
  });

  it('Hydra: an explicit issuer and maester are honoured', () => {
    const { hydra } = synthOry({ hydraIssuerUrl: 'https://login.example.org/', hydraMaesterEnabled: true }).values;
    expect(hydra.hydra.config.urls.self.issuer).toBe('https://login.example.org/');
    expect(hydra.maester).toEqual({ enabled: true });
  });

  it('Kratos: identity schema, password method, session hook after password registration, courier off', () => {
    const { kratos } = defaults.values;
    const config = kratos.kratos.config;
    expect(config.selfservice.methods.password).toEqual({ enabled: true, config: { haveibeenpwned_enabled: true } });
    expect(config.selfservice.flows.registration.after.password.hooks).toEqual([{ hook: 'session' }]);
    expect(config.serve.admin.base_url).toBe('http://kratos-admin.ory.svc.cluster.local:4434/');
    expect(config.identity.schemas).toEqual([{ id: 'default', url: 'file:///etc/config/identity.default.schema.json' }]);
    const schema = JSON.parse(kratos.kratos.identitySchemas['identity.default.schema.json']);
    expect(schema.properties.traits.properties.email['ory.sh/kratos'].credentials.password.identifier).toBe(true);
    expect(Object.keys(schema.properties.traits.properties.name.properties)).toEqual(['first', 'last']);
    expect(kratos.courier).toEqual({ enabled: false });
  });

  it('Kratos: the breached-password check can be turned off', () => {
    const { kratos } = synthOry({ kratosBreachedPasswordCheck: false }).values;
    expect(kratos.kratos.config.selfservice.methods.password.config.haveibeenpwned_enabled).toBe(false);
  });

  it('Keto: namespace documents by default, more from props, ids by position', () => {
    expect(defaults.values.keto.keto.config.namespaces).toEqual([{ id: 0, name: 'documents' }]);
    const { keto } = synthOry({ ketoNamespaces: ['documents', 'folders'] }).values;
    expect(keto.keto.config.namespaces).toEqual([
      { id: 0, name: 'documents' },
      { id: 1, name: 'folders' },
    ]);
  });

  it('workload settings override replicas, image and resources per service', () => {
    const { hydra, kratos } = synthOry({ hydra: { replicas: 5, imageTag: 'v26.2.1', cpuRequest: '1', memoryLimit: '1Gi' } }).values;
    expect(hydra.replicaCount).toBe(5);
    expect(hydra.image).toEqual({ tag: 'v26.2.1' });
    expect(hydra.deployment.resources).toEqual({ requests: { cpu: '1', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(kratos.replicaCount).toBe(3);
    expect(kratos.image).toBeUndefined();
  });

  it('quotes every string in the values, so apply-time references keep their type', () => {
    const raw = Object.values(defaults.json.resource.helm_release as Record<string, any>).find((r) => r.name === 'hydra').values[0];
    expect(raw).toMatch(/nameOverride: "\$\{kubernetes_secret_v1\./);
    expect(raw).not.toMatch(/&a\d|\*a\d/);
  });
});

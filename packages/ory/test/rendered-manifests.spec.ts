/**
 * The Ory releases rendered by the real Helm (v3.17, from npm) on the real 0.62.1 chart packages
 * (repository test data), with exactly the values the stack synthesizes: assertions on what the
 * cluster would receive, not on our own values.
 */
import { createHash } from 'node:crypto';
import { terraformJsonEncode } from '@crdb-ory/core';
import { DEFAULT_COMPUTED_STAND_INS, Manifest, helmVersion } from '@crdb-ory/helm';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORY_PORTS, SECRET_CHECKSUM_ANNOTATION, renderHelmValues } from '../src';
import {
  availabilityProblems,
  certificateMountProblems,
  deployments,
  exposedPrivilegedPortProblems,
  internalUrlProblems,
  migrationJobs,
  podAnnotationProblems,
  podTemplates,
  renderedIngressBackends,
  rolloutProblems,
  rootProblems,
  secretKeyProblems,
  serviceAccountTokenProblems,
  serviceTarget,
  type IngressBackend,
} from './support/manifest-checks';
import { errorsOf, loadOryValidators } from './support/ory-schemas';
import { podConfigs } from './support/pod-configs';
import { RenderedRelease, renderOryReleases, withStandIns } from './support/render-ory';
import type { ComputedStandIns } from '@crdb-ory/helm';
import { Template } from '@crdb-ory/core/testing';
import { synthOry } from './support/synth-ory';

const SERVICES = ['hydra', 'kratos', 'keto'] as const;
type Service = (typeof SERVICES)[number];
const validators = loadOryValidators();

interface Variant {
  readonly json: Record<string, any>;
  readonly rendered: Record<Service, RenderedRelease>;
}

const VARIANTS = {
  defaults: {},
  'domain, public access and Keto read exposed': { domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'], exposeKetoReadApi: true },
} as const;
const rendered = {} as Record<keyof typeof VARIANTS, Variant | Error>;

// A rendering that fails (e.g. a chart version the test data does not have) fails every test that reads it.
beforeAll(async () => {
  for (const [name, props] of Object.entries(VARIANTS)) {
    const { json } = synthOry(props);
    rendered[name as keyof typeof VARIANTS] = await renderOryReleases(json).then((releases) => ({ json, rendered: releases }), (error: Error) => error);
  }
}, 120_000);

const variants = new Proxy({} as Record<keyof typeof VARIANTS, Variant>, {
  get: (_target, name: string) => {
    const variant = rendered[name as keyof typeof VARIANTS];
    if (variant instanceof Error) throw variant;
    return variant;
  },
});

/** Our Secrets as the cluster gets them: name -> keys, and the values (references replaced by stand-ins). */
function secretsOf(json: Record<string, any>, computed?: ComputedStandIns) {
  const secrets = Template.fromJSON(json).all('kubernetes_secret_v1');
  const keys = Object.fromEntries(secrets.map((s) => [s.metadata.name, Object.keys(s.data)]));
  const value = (name: string, key: string) => {
    const data = secrets.find((s) => s.metadata.name === name)?.data?.[key];
    return data === undefined ? undefined : withStandIns(json, data, computed);
  };
  return { keys, value };
}

/** SHA-256 of a Secret's data as Terraform's `sha256(jsonencode(data))` computes it (the encoding is checked against Terraform in secret-checksum.spec.ts). */
function secretDigest(json: Record<string, any>, name: string, computed?: ComputedStandIns): string {
  const { keys, value } = secretsOf(json, computed);
  const data = Object.fromEntries((keys[name] ?? []).map((key: string) => [key, value(name, key)]));
  return createHash('sha256').update(terraformJsonEncode(data)).digest('hex');
}

/**
 * What Secrets Manager returns for every client certificate secret: one bundle holding each
 * service user's files (each Secret reads only its own user's keys). Only values Terraform knows
 * while planning stand in: the secret values (read at plan time) and the generated passwords (in
 * state); no computed attribute of a resource updated in the same apply (a resource_version).
 */
function planTimeStandIns(clientCertificates: Record<Service, string>): ComputedStandIns {
  const bundle = { 'ca.crt': '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n' } as Record<string, string>;
  for (const service of SERVICES) {
    bundle[`client.${service}.crt`] = clientCertificates[service];
    bundle[`client.${service}.key`] = `key of ${service}`;
  }
  return {
    random_password: DEFAULT_COMPUTED_STAND_INS['random_password'] ?? {},
    'data.aws_secretsmanager_secret_version': { secret_string: () => JSON.stringify(bundle) },
  };
}

function allManifests(variant: Variant): Manifest[] {
  return SERVICES.flatMap((s) => variant.rendered[s].manifests);
}

function configsOf(variant: Variant, service: Service) {
  const { manifests } = variant.rendered[service];
  return podConfigs(manifests, [...deployments(manifests), ...migrationJobs(manifests)], secretsOf(variant.json).value);
}

function serverConfig(variant: Variant, service: Service): Record<string, any> {
  const [deployment] = configsOf(variant, service).filter((c) => c.owner.startsWith('Deployment/'));
  if (!deployment) throw new Error(`no ${service} Deployment config`);
  return deployment.effective;
}

/** The container ports that serve an admin or write API, as the servers are configured. */
function privilegedPorts(variant: Variant): number[] {
  return [serverConfig(variant, 'hydra')['serve'].admin.port, serverConfig(variant, 'kratos')['serve'].admin.port, serverConfig(variant, 'keto')['serve'].write.port];
}

function synthesizedIngressBackends(json: Record<string, any>): IngressBackend[] {
  return Object.entries((json.resource?.kubernetes_ingress_v1 ?? {}) as Record<string, any>).flatMap(([name, ingress]) =>
    ingress.spec.rule.flatMap((rule: any) =>
      rule.http.path.map((path: any) => ({
        ingress: `kubernetes_ingress_v1.${name}`,
        internetFacing: ingress.metadata.annotations?.['alb.ingress.kubernetes.io/scheme'] !== 'internal',
        service: path.backend.service.name,
        port: path.backend.service.port.number,
      })),
    ),
  );
}

/** Re-renders one release after changing its synthesized values (a deliberately broken copy). */
async function renderTampered(json: Record<string, any>, service: Service, change: (values: Record<string, any>) => void): Promise<Record<Service, RenderedRelease>> {
  const tampered = structuredClone(json);
  const release = tampered.resource.helm_release[service];
  const values = parse(release.values[0]);
  change(values);
  release.values = [renderHelmValues(values)];
  return renderOryReleases(tampered);
}

describe('Helm renders the releases', () => {
  it('is the Helm 3 line the Terraform helm provider 3.x embeds', async () => {
    expect(await helmVersion()).toMatch(/^v3\.17\.\d+$/);
  });

  for (const variant of Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>) {
    it.each(SERVICES)(`%s: helm lint --strict is clean and the release renders its workload (${variant})`, (service) => {
      const { lint, manifests, release } = variants[variant].rendered[service];
      expect(lint.messages.filter((m) => !m.startsWith('[INFO]')), lint.output).toEqual([]);
      expect(lint.ok, lint.output).toBe(true);
      expect(release.version).toBe('0.62.1');
      expect(deployments(manifests).map((p) => p.owner)).toEqual([`Deployment/${service}`]);
      expect(migrationJobs(manifests).map((p) => p.owner)).toEqual([`Job/${service}-automigrate`]);
      expect(manifests.every((m) => (m.metadata.namespace ?? 'ory') === 'ory')).toBe(true);
    });
  }
});

describe('rendered manifests', () => {
  const defaults = () => variants.defaults;

  it.each(SERVICES)('%s: the DSN\'s certificate files are mounted from our Secret in the Deployment and in the migration Job', (service) => {
    const { manifests } = defaults().rendered[service];
    const dsn = new URL(secretsOf(defaults().json).value(`${service}-secrets`, 'dsn') ?? '');
    const files = ['sslrootcert', 'sslcert', 'sslkey'].map((p) => dsn.searchParams.get(p) ?? '');
    expect(files.every((f) => f.startsWith('/'))).toBe(true);
    const pods = [...deployments(manifests), ...migrationJobs(manifests)];
    expect(pods).toHaveLength(2);
    expect(certificateMountProblems(pods, `${service}-secrets`, files)).toEqual([]);
  });

  it.each(SERVICES)('%s: every Secret key a pod reads exists in the Secret the stack creates', (service) => {
    const { manifests } = defaults().rendered[service];
    expect(secretKeyProblems(podTemplates(manifests), secretsOf(defaults().json).keys)).toEqual([]);
  });

  it('Service names and ports match the URLs in the outputs, and reach the port each server listens on', () => {
    const variant = defaults();
    const output = (name: string) => variant.json.output[name].value as string;
    const manifests = allManifests(variant);
    const hydra = serverConfig(variant, 'hydra')['serve'];
    const kratos = serverConfig(variant, 'kratos')['serve'];
    const keto = serverConfig(variant, 'keto')['serve'];
    expect([
      ...internalUrlProblems(manifests, output('hydra_admin_url'), hydra.admin.port),
      ...internalUrlProblems(manifests, output('kratos_admin_url'), kratos.admin.port),
      ...internalUrlProblems(manifests, output('keto_read_url'), keto.read.port),
      ...internalUrlProblems(manifests, output('keto_write_url'), keto.write.port),
    ]).toEqual([]);
    // Without a domain the public URLs are `kubectl port-forward svc/<name>-public <port>:<port>` addresses (README).
    for (const [url, service, listen] of [
      [output('hydra_issuer_url'), 'hydra-public', hydra.public.port],
      [output('kratos_public_url'), 'kratos-public', kratos.public.port],
    ] as const) {
      const port = Number(new URL(url).port);
      expect(serviceTarget(manifests, service, 'ory', port)).toEqual({ containerPort: listen, portName: 'http-public' });
    }
    expect([hydra.public.port, hydra.admin.port, kratos.public.port, kratos.admin.port, keto.read.port, keto.write.port]).toEqual([
      ORY_PORTS.hydraPublic, ORY_PORTS.hydraAdmin, ORY_PORTS.kratosPublic, ORY_PORTS.kratosAdmin, ORY_PORTS.ketoRead, ORY_PORTS.ketoWrite,
    ]);
  });

  it('with public access: every Ingress backend is a rendered Service port, and none reaches an admin or write port', () => {
    const variant = variants['domain, public access and Keto read exposed'];
    const manifests = allManifests(variant);
    const backends = [...synthesizedIngressBackends(variant.json), ...renderedIngressBackends(manifests)];
    expect(backends.map((b) => `${b.service}:${b.port}`).sort()).toEqual(['hydra-public:4444', 'keto-read:4466', 'kratos-public:4433']);
    expect(exposedPrivilegedPortProblems(manifests, 'ory', backends, privilegedPorts(variant))).toEqual([]);
    expect(renderedIngressBackends(allManifests(defaults()))).toEqual([]);
  });

  it.each(SERVICES)('%s: a PodDisruptionBudget and a hard zone spread select the pods', (service) => {
    const { manifests } = defaults().rendered[service];
    expect(availabilityProblems(manifests)).toEqual([]);
    expect(deployments(manifests)[0]?.manifest['spec'].replicas).toBe(3);
  });

  it.each(SERVICES)('%s: the Deployment rolls one pod at a time, a new pod ready before an old one stops', (service) => {
    expect(rolloutProblems(defaults().rendered[service].manifests)).toEqual([]);
  });

  it.each(SERVICES)('%s: the Deployment and the migration Job carry the SHA-256 of the Secret\'s content', (service) => {
    const { manifests } = defaults().rendered[service];
    const pods = [...deployments(manifests), ...migrationJobs(manifests)];
    expect(pods).toHaveLength(2);
    const digest = secretDigest(defaults().json, `${service}-secrets`);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(podAnnotationProblems(pods, SECRET_CHECKSUM_ANNOTATION, digest)).toEqual([]);
  });

  it('a renewed client certificate rolls that service only: its pod templates change in the digest alone; the same content renders the same manifests', async () => {
    const json = defaults().json;
    const before = { hydra: 'hydra certificate 1', kratos: 'kratos certificate 1', keto: 'keto certificate 1' };
    const renewed = { ...before, hydra: 'hydra certificate 2' };
    const [first, again, after] = await Promise.all([before, before, renewed].map((certs) => renderOryReleases(json, planTimeStandIns(certs))));
    const templates = (r: Record<Service, RenderedRelease>, service: Service) => [...deployments(r[service].manifests), ...migrationJobs(r[service].manifests)].map((p) => p.manifest);
    for (const service of SERVICES) expect(templates(again, service)).toEqual(templates(first, service));
    expect(templates(after, 'kratos')).toEqual(templates(first, 'kratos'));
    expect(templates(after, 'keto')).toEqual(templates(first, 'keto'));
    const withoutDigest = (manifests: Manifest[]) =>
      manifests.map((m) => {
        const copy = structuredClone(m);
        delete copy['spec'].template.metadata.annotations[SECRET_CHECKSUM_ANNOTATION];
        return copy;
      });
    expect(withoutDigest(templates(after, 'hydra'))).toEqual(withoutDigest(templates(first, 'hydra')));
    const digests = [first, after].map((r) => deployments(r.hydra.manifests)[0]?.metadata.annotations?.[SECRET_CHECKSUM_ANNOTATION]);
    expect(digests[0]).not.toEqual(digests[1]);
    expect(digests).toEqual([secretDigest(json, 'hydra-secrets', planTimeStandIns(before)), secretDigest(json, 'hydra-secrets', planTimeStandIns(renewed))]);
    expect(migrationJobs(after.hydra.manifests)[0]?.metadata.annotations?.[SECRET_CHECKSUM_ANNOTATION]).toBe(digests[1]);
  });

  it.each(SERVICES)('%s: every pod runs as non-root', (service) => {
    const pods = podTemplates(defaults().rendered[service].manifests);
    expect(pods.length).toBeGreaterThanOrEqual(2);
    expect(rootProblems(pods)).toEqual([]);
  });

  it.each(SERVICES)('%s: no pod gets a ServiceAccount token (none needs the Kubernetes API)', (service) => {
    const { manifests } = defaults().rendered[service];
    expect(serviceAccountTokenProblems(manifests, podTemplates(manifests))).toEqual([]);
  });

  for (const variant of Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>) {
    it.each(SERVICES)(`%s: the config file each pod receives, chart defaults and env merged in, validates against Ory's schema (${variant})`, (service) => {
      const configs = configsOf(variants[variant], service);
      expect(configs.map((c) => c.owner)).toEqual([`Deployment/${service}/${service}`, `Job/${service}-automigrate/${service}-automigrate`]);
      for (const config of configs) {
        expect(JSON.stringify(config.effective)).not.toContain('${');
        const valid = validators[service](config.effective);
        expect(errorsOf(validators[service]), config.owner).toBe('');
        expect(valid).toBe(true);
        expect(config.effective['dsn']).toMatch(/^cockroach:\/\/\w+@sql\.crdb-ory\.internal:26257\/\w+\?sslmode=verify-full&/);
      }
    });
  }

  it('the migration Job runs the same image as the Deployment, also with an image tag set (Hydra\'s job reads image.tag with no fallback)', async () => {
    const pinned = await renderOryReleases(synthOry({ hydra: { imageTag: 'v26.2.1' }, keto: { imageTag: 'v26.2.1' }, kratos: { imageTag: 'v26.2.1' } }).json);
    for (const [rendered, tag] of [[defaults().rendered, 'v26.2.0'], [pinned, 'v26.2.1']] as const) {
      for (const service of SERVICES) {
        const images = [...deployments(rendered[service].manifests), ...migrationJobs(rendered[service].manifests)].map((p) => p.spec['containers'][0].image);
        expect(images).toEqual([`docker.io/oryd/${service}:${tag}`, `docker.io/oryd/${service}:${tag}`]);
      }
    }
  });

  it('Kratos: every identity schema the config names is a file in the pod', () => {
    for (const config of configsOf(defaults(), 'kratos')) {
      const urls = (config.effective['identity'] as any).schemas.map((s: any) => s.url as string);
      expect(urls).toEqual(['file:///etc/config/identity.default.schema.json']);
      for (const url of urls) expect(JSON.parse(config.configFiles[url.replace(/^file:\/\//, '')] ?? 'null')?.properties?.traits, `${config.owner} ${url}`).toBeDefined();
    }
  });
});

describe('the manifest assertions catch deliberate breaks', () => {
  it('certificate volumes under a key the chart ignores', async () => {
    // `job.extraVolumes` reads naturally for the migration job, but chart 0.62.1 ignores it.
    const rendered = await renderTampered(variants.defaults.json, 'hydra', (values) => {
      values['job'].extraVolumes = values['deployment'].extraVolumes;
      values['job'].extraVolumeMounts = values['deployment'].extraVolumeMounts;
      delete values['deployment'].extraVolumes;
      delete values['deployment'].extraVolumeMounts;
    });
    const { manifests } = rendered.hydra;
    const problems = certificateMountProblems([...deployments(manifests), ...migrationJobs(manifests)], 'hydra-secrets', ['/etc/cockroach-certs/ca.crt']);
    expect(problems).toEqual(['Deployment/hydra/hydra: nothing is mounted at /etc/cockroach-certs/ca.crt', 'Job/hydra-automigrate/hydra-automigrate: nothing is mounted at /etc/cockroach-certs/ca.crt']);
  });

  it('a misspelled Secret key (Kratos reads its secrets as optional, so the pod would start without them)', () => {
    const tampered = structuredClone(variants.defaults.json);
    const secret = Template.fromJSON(tampered).only('kubernetes_secret_v1', { metadata: { name: 'kratos-secrets' } }).config;
    secret.data.secretsCiper = secret.data.secretsCipher;
    delete secret.data.secretsCipher;
    expect(secretKeyProblems(podTemplates(variants.defaults.rendered.kratos.manifests), secretsOf(tampered).keys)).toEqual([
      'Deployment/kratos/kratos env SECRETS_CIPHER reads key secretsCipher of Secret kratos-secrets, which has only ca.crt, client.crt, client.key, dsn, secretsCookie, secretsDefault, secretsCiper',
    ]);
  });

  it('Kratos left on its default ports (the chart\'s Services default to 80)', async () => {
    const rendered = await renderTampered(variants.defaults.json, 'kratos', (values) => {
      delete values['service'].public.port;
      delete values['service'].admin.port;
    });
    expect(internalUrlProblems(rendered.kratos.manifests, variants.defaults.json.output.kratos_admin_url.value, 4434)).toEqual([
      'http://kratos-admin.ory.svc.cluster.local:4434/: Service kratos-admin has no port 4434 (ports: 80)',
    ]);
  });

  it('an Ingress pointing at an admin Service: ours, or the chart\'s own', async () => {
    const variant = variants['domain, public access and Keto read exposed'];
    const manifests = allManifests(variant);
    const ours: IngressBackend = { ingress: 'kubernetes_ingress_v1.hydra', internetFacing: true, service: 'hydra-admin', port: 4445 };
    expect(exposedPrivilegedPortProblems(manifests, 'ory', [ours], privilegedPorts(variant))).toEqual([
      'kubernetes_ingress_v1.hydra is internet-facing and reaches hydra-admin:4445, the admin/write port 4445',
    ]);
    const rendered = await renderTampered(variant.json, 'kratos', (values) => {
      values['ingress'].admin = { enabled: true, className: 'alb', hosts: [{ host: 'admin.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }] };
    });
    const chartBackends = renderedIngressBackends(rendered.kratos.manifests);
    expect(exposedPrivilegedPortProblems(rendered.kratos.manifests, 'ory', chartBackends, privilegedPorts(variant))).toEqual([
      'Ingress/kratos-admin is internet-facing and reaches kratos-admin:http, the admin/write port 4434',
    ]);
  });

  it('a digest under a pod-annotation key the chart ignores, and the charts\' default rollout', async () => {
    // Keto's chart reads a top-level `podAnnotations`; Hydra's 0.62.1 does not.
    const rendered = await renderTampered(variants.defaults.json, 'hydra', (values) => {
      values['podAnnotations'] = values['deployment'].podMetadata.annotations;
      delete values['deployment'].podMetadata;
      delete values['deployment'].strategy;
    });
    const { manifests } = rendered.hydra;
    expect(podAnnotationProblems(deployments(manifests), SECRET_CHECKSUM_ANNOTATION, 'x')).toEqual([`Deployment/hydra: pod annotation ${SECRET_CHECKSUM_ANNOTATION} is missing, expected "x"`]);
    expect(rolloutProblems(manifests)).toEqual(['Deployment/hydra: strategy {"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"} is not one pod at a time (RollingUpdate, maxUnavailable 0, maxSurge 1)']);
  });

  it('a chart version or repository the test data does not have fails the rendering', async () => {
    await expect(renderOryReleases(synthOry({ chartVersion: '0.62.0' }).json)).rejects.toThrow(/helm_release\.hydra: no chart package for hydra 0\.62\.0 from https:\/\/k8s\.ory\.com\/helm\/charts/);
    await expect(renderOryReleases(synthOry({ chartRepository: 'https://charts.example.com/ory' }).json)).rejects.toThrow(/no chart package for hydra 0\.62\.1 from https:\/\/charts\.example\.com\/ory/);
  });

  it('a pod that mounts a ServiceAccount token, and one that may run as root', () => {
    const { manifests } = variants.defaults.rendered.keto;
    const [deployment] = deployments(manifests);
    if (!deployment) throw new Error('no deployment');
    const tokenPod = { ...deployment, spec: { ...deployment.spec, automountServiceAccountToken: undefined } };
    const account = manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === deployment.spec['serviceAccountName']);
    const withTokenAccount = manifests.map((m) => (m === account ? { ...m, automountServiceAccountToken: true } : m));
    expect(serviceAccountTokenProblems(withTokenAccount, [tokenPod])).toEqual(['Deployment/keto gets a ServiceAccount token (pod automountServiceAccountToken undefined, ServiceAccount keto true)']);
    const rootPod = { ...deployment, spec: { ...deployment.spec, securityContext: {}, containers: deployment.spec['containers'].map((c: any) => ({ ...c, securityContext: { runAsUser: 0 } })) } };
    expect(rootProblems([rootPod])).toEqual(['Deployment/keto/keto may run as root (runAsNonRoot undefined, runAsUser 0)']);
  });
});

/**
 * Ory in two regions of a multi-region app (the primary and one secondary: a third region is the
 * secondary's configuration again), synthesized once, and each region's releases rendered once
 * by the real Helm (v3.17, from npm) on the real 0.62.1 charts: one issuer and the same secrets
 * everywhere, each region's DSN to its own SQL load balancer, migrations only in the primary and a
 * wait for them in the secondary.
 */
import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { type OutputsContract, ProductStack, ValidationError, defineOutputsContract, remoteStateId } from '@crdb-ory/core';
import { Template } from '@crdb-ory/core/testing';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { Manifest, helmLint, helmTemplate, synthesizedHelmReleases } from '@crdb-ory/helm';
import { regionalNetworkOutputs } from '@crdb-ory/network';
import { Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATION_STATUS_ARGS,
  ORY_GENERATED_SECRETS,
  OryStack,
  OryStackProps,
  oryMigrationRegionProblems,
  oryStackReview,
  OrySharedSecrets,
  OrySharedSecretsStack,
  migrationWaitContainerName,
  orySharedSecretName,
  sharedSecretKey,
} from '../src';
import { deployments, migrationJobs, podTemplates } from './support/manifest-checks';
import { podConfigs } from './support/pod-configs';
import { restrictedProblems } from './support/pod-security';
import { KUBE_VERSION, referenceChartPackage, withStandIns } from './support/render-ory';
import { BASE_PROPS } from './support/synth-ory';

const SERVICES = ['hydra', 'kratos', 'keto'] as const;
type Service = (typeof SERVICES)[number];
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-east-2';
const REGIONS = [PRIMARY, SECONDARY] as const;
type Region = (typeof REGIONS)[number];
const stackName = (kind: string, region: string) => `${kind}-${region}`;

const app = Testing.app();
const secretsStack = new OrySharedSecretsStack(app, { stateBackend: { type: 'local' }, region: PRIMARY, replicaRegions: [SECONDARY, 'us-west-2'] });

function regionProps(region: Region): OryStackProps {
  return {
    ...BASE_PROPS,
    region,
    stackNames: Object.fromEntries(['ory', 'network', 'cockroach', 'cockroach-pki', 'eks'].map((kind) => [kind, stackName(kind, region)])),
    sharedSecrets: secretsStack.reference,
    domain: 'example.com',
    publicAccessCidrs: ['203.0.113.0/24'],
    publicDnsRecords: false,
    ...(region === PRIMARY ? {} : { migrationsRunBy: stackName('ory', PRIMARY) }),
  };
}

/** The contracts a region's stack reads, under that region's stack names. */
function regionContracts(region: Region): OutputsContract[] {
  return [
    regionalNetworkOutputs(stackName('network', region)),
    defineOutputsContract(stackName('cockroach', region), COCKROACH_OUTPUTS.outputs),
    defineOutputsContract(stackName('cockroach-pki', region), COCKROACH_PKI_OUTPUTS.outputs, { channel: 'ssm-parameters' }),
    defineOutputsContract(stackName('eks', region), EKS_OUTPUTS.outputs),
  ];
}

const stacks = Object.fromEntries(REGIONS.map((region) => [region, new OryStack(app, regionProps(region))])) as Record<Region, OryStack>;
const json = Object.fromEntries(REGIONS.map((region) => [region, JSON.parse(Testing.synth(stacks[region], true))])) as Record<Region, Record<string, any>>;
const secretsJson = JSON.parse(Testing.synth(secretsStack, true)) as Record<string, any>;

interface RenderedRegion {
  readonly manifests: Record<Service, Manifest[]>;
  readonly lint?: Awaited<ReturnType<typeof helmLint>>[];
}
const rendered = {} as Record<Region, RenderedRegion>;

/** Each region's three releases, rendered once; the secondary's (the values only it has) also linted. */
beforeAll(async () => {
  for (const region of REGIONS) {
    const releases = synthesizedHelmReleases(json[region], { contracts: regionContracts(region) }).filter((r) => (SERVICES as readonly string[]).includes(r.chart));
    const inputs = releases.map((release) => ({ chart: referenceChartPackage(release), releaseName: release.name, namespace: release.namespace, values: release.values, kubeVersion: KUBE_VERSION }));
    const templates = await Promise.all(inputs.map((input) => helmTemplate(input)));
    const lint = region === PRIMARY ? undefined : await Promise.all(inputs.map((input) => helmLint(input)));
    rendered[region] = {
      manifests: Object.fromEntries(releases.map((release, i) => [release.chart, templates[i]?.manifests ?? []])) as Record<Service, Manifest[]>,
      ...(lint ? { lint } : {}),
    };
  }
}, 120_000);

function secretData(region: Region, service: Service): Record<string, string> {
  const secret = Template.fromJSON(json[region]).all('kubernetes_secret_v1').find((s) => s.metadata.name === `${service}-secrets`);
  if (!secret) throw new Error(`${region}: no ${service}-secrets`);
  return secret.data;
}

/** The value of a Secret key as the cluster gets it (references replaced by the same stand-ins as the Helm values). */
function secretValue(region: Region) {
  return (name: string, key: string): string | undefined => {
    const service = SERVICES.find((s) => `${s}-secrets` === name);
    const data = service ? secretData(region, service)[key] : undefined;
    return data === undefined ? undefined : withStandIns(json[region], data, undefined, regionContracts(region));
  };
}

/** The config the Deployment's server runs with, from the rendered ConfigMap and the Secret's env. */
function serverConfig(region: Region, service: Service): Record<string, any> {
  const manifests = rendered[region].manifests[service];
  const config = podConfigs(manifests, deployments(manifests), secretValue(region)).find((c) => c.container === service);
  if (!config) throw new Error(`${region}: no ${service} server config`);
  return config.effective;
}

describe('one issuer and the same secrets in every region', () => {
  it('Hydra runs with one https issuer (and public URL), Kratos with one public base URL, in both regions', () => {
    const issuers = REGIONS.map((region) => serverConfig(region, 'hydra')['urls'].self);
    expect(issuers[0]).toMatchObject({ issuer: 'https://hydra.example.com/', public: 'https://hydra.example.com/' });
    expect(issuers[1]).toEqual(issuers[0]);
    const kratos = REGIONS.map((region) => serverConfig(region, 'kratos')['serve'].public.base_url);
    expect(kratos).toEqual(['https://kratos.example.com/', 'https://kratos.example.com/']);
    expect(REGIONS.map((region) => serverConfig(region, 'hydra')['dev'])).toEqual([undefined, undefined]);
  });

  it.each([
    ['hydra', 'secrets', 'system'],
    ['hydra', 'secrets', 'cookie'],
    ['kratos', 'secrets', 'default'],
    ['kratos', 'secrets', 'cookie'],
    ['kratos', 'secrets', 'cipher'],
  ] as const)('%s runs with the same %s.%s in both regions: the shared secret\'s key, read in each region', (service, group, name) => {
    const values = REGIONS.map((region) => serverConfig(region, service)[group]?.[name]);
    const key = sharedSecretKey(service, `secrets${name[0]?.toUpperCase()}${name.slice(1)}`);
    // The stand-in of a Secrets Manager value names the secret read and the key: the same secret (by its name, replicated), the same key.
    expect(values[0]).toEqual([`<secret ${orySharedSecretName('crdb-ory')}[${JSON.stringify(key)}]>`]);
    expect(values[1]).toEqual(values[0]);
  });

  it.each(REGIONS)('%s: the shared values come from the replica in the stack\'s own region, by name; nothing is generated, no random provider', (region) => {
    const reads = Object.values(json[region].data.aws_secretsmanager_secret_version as Record<string, any>).map((d) => d.secret_id);
    expect(reads).toContain(orySharedSecretName('crdb-ory'));
    expect(json[region].provider.aws[0].region).toBe(region);
    expect(json[region].resource.random_password).toBeUndefined();
    expect(json[region].provider.random).toBeUndefined();
    for (const service of SERVICES) {
      for (const key of Object.keys(ORY_GENERATED_SECRETS[service])) {
        expect(secretData(region, service)[key]).toBe(`\${jsondecode(data.aws_secretsmanager_secret_version.ory-shared-secrets.secret_string)[${JSON.stringify(sharedSecretKey(service, key))}]}`);
      }
    }
  });

  it('each region\'s stack deploys after the shared secrets\' stack; the secondary also after the primary\'s Ory stack', () => {
    expect(stacks[PRIMARY].upstreamReads.map((r) => r.stackName)).toContain('ory-shared-secrets');
    expect(stacks[PRIMARY].upstreamReads.map((r) => r.stackName)).not.toContain(stackName('ory', SECONDARY));
    expect(stacks[SECONDARY].upstreamReads.map((r) => r.stackName)).toEqual(expect.arrayContaining(['ory-shared-secrets', stackName('ory', PRIMARY)]));
  });
});

describe('each region on its own cluster and its own SQL load balancer', () => {
  it.each(REGIONS)('%s: every DSN names the region\'s own cockroach stack\'s SQL host; the cluster is the region\'s own', (region) => {
    for (const service of SERVICES) expect(secretData(region, service)['dsn']).toContain(`\${data.terraform_remote_state.${remoteStateId(stackName('cockroach', region))}.outputs.sql_host}:`);
    const state = json[region].data.terraform_remote_state as Record<string, any>;
    expect(Object.keys(state).sort()).toEqual([stackName('cockroach', region), stackName('eks', region), stackName('network', region)].map(remoteStateId).sort());
    expect(json[region].output.namespace).toBeDefined();
    // The client certificates from the secrets whose ARNs the region's own PKI parameters (in its region) give.
    for (const service of SERVICES) {
      const parameter = `/crdb-ory/${stackName('cockroach-pki', region)}/${service}_client_secret_arn`;
      expect(Object.keys(Template.fromJSON(json[region]).findDataSources('aws_ssm_parameter', { name: parameter }))).toHaveLength(1);
    }
  });

  it.each(REGIONS)('%s: no simple record for the public names (they are routed across regions by OryPublicFailover)', (region) => {
    expect(Object.keys(json[region].resource.aws_route53_record ?? {}).filter((name) => name.startsWith('dns-'))).toEqual([]);
    expect(json[region].resource.aws_acm_certificate).toBeDefined();
  });
});

describe('a region\'s Ory stack in the offline review', () => {
  it.each(REGIONS)('%s: the review reads the contracts the stack reads, under the region\'s names, and names the outputs it publishes', (region) => {
    const props = regionProps(region);
    const review = oryStackReview(props.stackNames);
    expect(review.stackName).toBe(stackName('ory', region));
    const stateReads = stacks[region].upstreamReads.filter((r) => ['remote-state', 'ssm-parameters'].includes(r.channel)).map((r) => r.stackName);
    expect(review.upstream.map((c) => c.stackName).sort()).toEqual(stateReads.sort());
    expect(review.upstream.map((c) => c.stackName).sort()).toEqual(['cockroach', 'cockroach-pki', 'eks', 'network'].map((kind) => stackName(kind, region)).sort());
    expect(review.outputs?.stackName).toBe(stackName('ory', region));
    expect(Object.keys(json[region].output).sort()).toEqual(Object.keys(review.outputs?.outputs ?? {}).map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).sort());
    const nobody = { ...json[region], locals: { kubernetes_api_access: { private: [], public: [] } } };
    expect(review.expectedPlanFailures?.(nobody)).toEqual([`data.terraform_remote_state.${remoteStateId(stackName('eks', region))}`]);
  });
});

describe('migrations run only in the primary region; the secondary waits for them', () => {
  it.each(SERVICES)('%s: the primary renders the chart\'s migration Job, no wait', (service) => {
    const manifests = rendered[PRIMARY].manifests[service];
    expect(migrationJobs(manifests).map((p) => p.owner)).toEqual([`Job/${service}-automigrate`]);
    const [deployment] = deployments(manifests);
    expect((deployment?.spec['initContainers'] ?? []).map((c: any) => c.name)).toEqual([]);
  });

  it.each(SERVICES)('%s: the secondary renders no migration Job and no automigrate init container, and lints clean', (service) => {
    const manifests = rendered[SECONDARY].manifests[service];
    expect(migrationJobs(manifests)).toEqual([]);
    expect(podTemplates(manifests).filter((p) => p.manifest.kind === 'Job')).toEqual([]);
    const [deployment] = deployments(manifests);
    expect((deployment?.spec['initContainers'] ?? []).map((c: any) => c.name)).toEqual([migrationWaitContainerName(service)]);
    const lint = rendered[SECONDARY].lint?.[SERVICES.indexOf(service)];
    expect(lint?.messages.filter((m) => !m.startsWith('[INFO]')), lint?.output).toEqual([]);
  });

  it.each(SERVICES)('%s: the secondary\'s pods wait with the server\'s own image and `migrate ... status --block`, the DSN, config and certificates of the server', (service) => {
    const manifests = rendered[SECONDARY].manifests[service];
    const [deployment] = deployments(manifests);
    if (!deployment) throw new Error('no Deployment');
    const [wait] = deployment.spec['initContainers'];
    const [server] = deployment.spec['containers'].filter((c: any) => c.name === service);
    expect(wait.image).toBe(server.image);
    expect(wait.image).toMatch(new RegExp(`/oryd/${service}:v26\\.2\\.0$`));
    expect([...wait.command, ...wait.args]).toEqual([service, ...MIGRATION_STATUS_ARGS[service]]);
    expect(wait.args).toEqual(expect.arrayContaining(['status', '-e', '--block']));
    expect(wait.env).toEqual([{ name: 'DSN', valueFrom: { secretKeyRef: { name: `${service}-secrets`, key: 'dsn' } } }]);
    const serverEnvDsn = server.env.find((e: any) => e.name === 'DSN');
    expect(serverEnvDsn.valueFrom).toEqual(wait.env[0].valueFrom);
    // The config file it names is the rendered ConfigMap's (podConfigs reads it through the mounts); the certificates are the server's.
    const [config] = podConfigs(manifests, [deployment], secretValue(SECONDARY)).filter((c) => c.container === migrationWaitContainerName(service));
    expect(config?.path).toBe(`/etc/config/${service}.yaml`);
    const certMount = (c: any) => c.volumeMounts.find((m: any) => m.mountPath === '/etc/cockroach-certs');
    expect(certMount(wait)).toEqual(certMount(server));
    expect(restrictedProblems(deployment)).toEqual([]);
  });
});

describe('OrySharedSecrets', () => {
  const template = Template.fromJSON(secretsJson);

  it('one secret in the primary region with a replica in every other Ory region', () => {
    const secret = template.only('aws_secretsmanager_secret');
    expect(secret.config).toMatchObject({ name: 'crdb-ory/ory/shared-secrets', replica: [{ region: SECONDARY }, { region: 'us-west-2' }], recovery_window_in_days: 30 });
    expect(secret.config.kms_key_id).toBeUndefined();
    expect(secretsJson.provider.aws[0].region).toBe(PRIMARY);
  });

  it('its values are generated by Secrets Manager at apply time and written write-only: never in the JSON, the plan or the state', () => {
    const version = template.only('aws_secretsmanager_secret_version').config;
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo_version).toBe(1);
    const ephemeral = secretsJson.ephemeral.aws_secretsmanager_random_password as Record<string, any>;
    const keys = Object.entries(ORY_GENERATED_SECRETS).flatMap(([service, keys]) => Object.keys(keys).map((key) => sharedSecretKey(service as Service, key)));
    expect(keys).toHaveLength(5);
    for (const key of keys) {
      const name = Object.keys(ephemeral).find((n) => version.secret_string_wo.includes(`${JSON.stringify(key)} = ephemeral.aws_secretsmanager_random_password.${n}.random_password`));
      expect(name, key).toBeDefined();
      expect(ephemeral[name ?? '']).toEqual({ password_length: 32, exclude_punctuation: true, include_space: false, require_each_included_type: true });
    }
    expect(version.secret_string_wo).toMatch(/^\$\{jsonencode\(\{ .* \}\)\}$/);
    expect(secretsJson.resource.random_password).toBeUndefined();
    // Write-only arguments need Terraform 1.11: an older CLI stops at init, before anything is planned.
    expect(secretsJson.terraform.required_version).toBe('>= 1.11.0');
  });

  it('refuses the primary region as a replica, a repeated region and a version below 1, all at once', () => {
    const stack = new ProductStack(Testing.app(), 'x', { stateBackend: { type: 'local' } });
    let error: unknown;
    try {
      new OrySharedSecrets(stack, 'bad', { namePrefix: 'p', primaryRegion: PRIMARY, replicaRegions: [PRIMARY, SECONDARY, SECONDARY], version: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('x/bad');
    expect((error as ValidationError).problems.map((p) => p.prop)).toEqual(['replicaRegions', 'replicaRegions', 'version']);
  });
});

describe('region props', () => {
  it('refuses a waiting region without shared secrets, self-references and bad stack names, all at once, naming the stack', () => {
    let error: unknown;
    try {
      new OryStack(Testing.app(), { ...BASE_PROPS, stackNames: { ory: 'ory-us-east-2', network: 'Network_2' }, migrationsRunBy: 'ory-us-east-2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('ory-us-east-2');
    expect((error as ValidationError).problems.map((p) => p.prop)).toEqual(['stackNames.network', 'migrationsRunBy', 'sharedSecrets']);
    const selfShared = () => new OryStack(Testing.app(), { ...BASE_PROPS, stackNames: { ory: 'ory-a' }, sharedSecrets: { stackName: 'ory-a', secretName: ' ' } });
    expect(selfShared).toThrow(/sharedSecrets\.stackName = "ory-a": names this stack itself[^]*sharedSecrets\.secretName = " ": must name/);
  });
});

describe('migrations run in one region only (the rule an app applies across its regions)', () => {
  it('accepts one runner that every other region names', () => {
    expect(oryMigrationRegionProblems(REGIONS.map(regionProps))).toEqual([]);
  });

  it('refuses no runner, two runners, and a region waiting for a stack that does not run them', () => {
    expect(oryMigrationRegionProblems([{ stackNames: { ory: 'a' }, migrationsRunBy: 'b' }, { stackNames: { ory: 'b' }, migrationsRunBy: 'a' }])).toEqual([
      { prop: 'migrationsRunBy', value: [], message: "exactly one region's Ory stack must run the migrations (migrationsRunBy unset); 0 do" },
    ]);
    expect(oryMigrationRegionProblems([{ stackNames: { ory: 'a' } }, { stackNames: { ory: 'b' } }]).map((p) => p.value)).toEqual([['a', 'b']]);
    expect(oryMigrationRegionProblems([{ stackNames: { ory: 'a' } }, { stackNames: { ory: 'b' }, migrationsRunBy: 'a' }, { stackNames: { ory: 'c' }, migrationsRunBy: 'b' }])).toEqual([
      { prop: '[2].migrationsRunBy', value: 'b', message: 'must name the stack that runs the migrations, a' },
    ]);
  });
});

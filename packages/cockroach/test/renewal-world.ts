import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DRAIN_SETTINGS, NODE_METRICS_NAMESPACE, oryPresentedCertificateParameterName, renderNodeEnv, renderRefreshCertsScript, stopTimeoutSeconds } from '../src';
import { OPERATOR_SESSION, RollWorld } from './roll-world';
import { synthPki } from './synth';

const STUBS = join(__dirname, 'stubs');
const SERVICES = ['hydra', 'kratos', 'keto'] as const;
const arn = (leaf: string, region = 'us-east-1'): string => `arn:aws:secretsmanager:${region}:123456789012:secret:crdb-ory/cockroach/${leaf}-AbCdEf`;
const secretFile = (state: string, secretArn: string): string => join(state, 'secrets', secretArn.replace(/[/:]/g, '_'));

/** An Ory service as the terraform stub's ory stacks hold it (renewal.json), and its presented-certificate parameter resource. */
function oryServiceEntry(user: string, secretArn: string, parameterName: string, deployed: { ca: string; cert: string }) {
  const parameter = `presented-certificates_${user}-parameter_1234ABCD`;
  return {
    parameter,
    resource: { name: parameterName, type: 'String' },
    service: {
      secretArn,
      user,
      replicas: 3,
      secretAddress: `kubernetes_secret_v1.${user}-secret_secret_1234ABCD`,
      releaseAddress: `helm_release.${user}`,
      parameterAddress: `aws_ssm_parameter.${parameter}`,
      parameterName,
      deployed,
    },
  };
}

/** A certificate (PEM) valid for `days` more days, made by openssl. */
export function certificate(commonName: string, days: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'crdb-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', `/CN=${commonName}`, '-days', String(days)], { stdio: 'ignore' });
  const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return pem;
}

/** The steps of a renewal that change something, in the order of the call log: `apply cockroach-pki`, `refresh <instance>`, `apply ory`, `apply ory-<region>`. */
export function renewalChanges(world: RenewalWorld): string[] {
  return world.calls().flatMap((call) => {
    if (/^terraform -chdir=\S+cockroach-pki apply /.test(call)) return ['apply cockroach-pki'];
    const ory = /^terraform -chdir=\S+\/(ory(?:-[a-z0-9-]+)?) apply /.exec(call);
    if (ory) return [`apply ${ory[1]}`];
    const refresh = /^aws ssm send-command --instance-ids (\S+) .*crdb-ory: refresh-certs/.exec(call);
    return refresh ? [`refresh ${refresh[1]}`] : [];
  });
}

export interface RenewalWorldOptions {
  /** Days left on the node and client certificates. @default 10 (inside the 30-day early-renewal window) */
  readonly leafDays?: number;
  /** Days left on the CA certificate. @default 3650 */
  readonly caDays?: number;
  /** Extra state of the renewal's stacks (ory.applyFails, pki.extraPlanChanges, ory.extraPlanChanges). */
  readonly pki?: Record<string, unknown>;
  readonly ory?: Record<string, unknown>;
  /** RollWorldOptions.stubProcesses. @default false */
  readonly stubProcesses?: boolean;
}

/**
 * The roll's world (the cockroach stack, SSM onto three nodes, the cluster) plus what a renewal
 * touches: the synthesized cockroach-pki stack and a directory of the ory stack, their state for
 * the terraform stub (renewal.json), every certificate secret with real certificates, each node
 * with its certificates, node.env and refresh-certs.sh (what the boot installed), and Ory's pods
 * running the current client certificates, recorded in their presented-certificate parameters.
 */
export class RenewalWorld extends RollWorld {
  readonly pkiDir = join(this.dir, 'cdktf.out', 'stacks', 'cockroach-pki');
  readonly oryDir = join(this.dir, 'cdktf.out', 'stacks', 'ory');

  constructor(options: RenewalWorldOptions = {}) {
    super({ stubProcesses: options.stubProcesses, configured: 'v25.4.0', pending: [], terraform: { extraOutputs: Object.fromEntries(SERVICES.flatMap((s) => [[`${s}_client_secret_arn`, arn(`client-${s}`)], [`${s}_sql_user`, s]])) } });
    symlinkSync(join(STUBS, 'logging-stub'), join(this.bin, 'chown'));
    const leafDays = options.leafDays ?? 10;
    const ca = certificate('Cockroach CA', options.caDays ?? 3650);
    const certificates: Array<Record<string, unknown>> = [{ address: 'tls_self_signed_cert.ca_cert_8F3A2B1C', ca: true, commonName: 'Cockroach CA', notAfter: this.inDays(options.caDays ?? 3650) }];
    for (const n of [1, 2, 3]) {
      const secretArn = arn(`node-${n}`);
      const pem = certificate('node', leafDays);
      this.putSecret(secretArn, { 'ca.crt': ca, 'node.crt': pem, 'node.key': 'NODE KEY' });
      certificates.push({ address: `tls_locally_signed_cert.node-${n}-cert_cert_0000000${n}`, commonName: 'node', secretArn, file: 'node.crt', secretVersionAddress: `aws_secretsmanager_secret_version.node-${n}-secret_version_0000000${n}`, notAfter: this.inDays(leafDays) });
      this.installNode(n, { region: 'us-east-1', nodeSecretArn: secretArn, rootClientSecretArn: arn('client-root') }, { 'ca.crt': ca, 'node.crt': pem, 'node.key': 'NODE KEY' });
    }
    const ory: Record<string, unknown> = {};
    const oryParameters: Record<string, unknown> = {};
    const oryResources = { aws_ssm_parameter: oryParameters };
    for (const user of ['root', ...SERVICES, 'verifier']) {
      const secretArn = arn(`client-${user}`);
      const pem = certificate(user, leafDays);
      this.putSecret(secretArn, { 'ca.crt': ca, [`client.${user}.crt`]: pem, [`client.${user}.key`]: `${user.toUpperCase()} KEY` });
      certificates.push({ address: `tls_locally_signed_cert.client-${user}-cert_cert_ABCD0001`, commonName: user, secretArn, file: `client.${user}.crt`, secretVersionAddress: `aws_secretsmanager_secret_version.client-${user}-secret_version_ABCD0001`, notAfter: this.inDays(leafDays) });
      if (!(SERVICES as readonly string[]).includes(user)) continue;
      const entry = oryServiceEntry(user, secretArn, oryPresentedCertificateParameterName('crdb-ory', user), { ca, cert: pem });
      oryParameters[entry.parameter] = entry.resource;
      ory[user] = entry.service;
      this.putParameter(entry.service.parameterName, `${ca}\n${pem}`);
    }
    writeFileSync(join(this.state, 'renewal.json'), JSON.stringify({
      pki: { earlyRenewalHours: 720, validityDays: 365, certificates, ...options.pki },
      ory: { services: ory, ...options.ory },
    }));
    for (const [dir, json] of [[this.pkiDir, synthPki()], [this.oryDir, { provider: { aws: [{ region: 'us-east-1' }] }, resource: oryResources }]] as const) {
      mkdirSync(join(dir, '.terraform'), { recursive: true });
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
    }
  }

  /**
   * Another region of a multi-region cluster (CockroachPkiStack `nodeRegions`): its cockroach stack
   * (`addRegionStack`: three more nodes) with its own operations role (`<namePrefix>-cockroach-operator`),
   * its node certificates issued by the same PKI (primary secrets in us-east-1, due as the others),
   * their replicas in `region` with root's client secret, which its nodes read, each taking the
   * primary's new value `replicaLag` reads after it changed (the aws stub's replication), the PKI's
   * outputs published there under the region's prefix, and AWS CLI profiles: `ops-primary` (the
   * primary's operations role) and `ops-<region>` (this region's). With `ory`, the region's
   * `ory-<region>` stack (`cdktf.out/stacks/ory-<region>`), whose Secrets are built from the
   * replicas there of the client certificate secrets (lagging as the node secrets' do).
   * Returns the stack directory, relative to the project root.
   */
  addRenewalRegion(region: string, options: { readonly replicaLag: number; readonly ory?: boolean }): string {
    const stackName = `cockroach-${region}`;
    const namePrefix = `crdb-ory-${region}`;
    const role = `${namePrefix}-cockroach-operator`;
    const relative = this.addRegionStack(stackName, region, { configured: 'v25.4.0', running: 'v25.4.0', pending: [] });
    const stateFile = join(this.state, `terraform.${stackName}.json`);
    const rootReplica = arn('client-root', region);
    writeFileSync(stateFile, JSON.stringify({
      ...JSON.parse(readFileSync(stateFile, 'utf8')),
      rootClientSecretArn: rootReplica,
      operationsRoleArn: `arn:aws:iam::123456789012:role/${role}`,
      operationsLogGroupName: `/${namePrefix}/cockroach/operations`,
    }));
    const ca = this.secret('node-1')['ca.crt'] ?? '';
    const renewal = JSON.parse(readFileSync(join(this.state, 'renewal.json'), 'utf8'));
    const replicas: Record<string, { primary: string; lag: number }> = { [rootReplica]: { primary: arn('client-root'), lag: options.replicaLag } };
    writeFileSync(secretFile(this.state, rootReplica), readFileSync(secretFile(this.state, arn('client-root')), 'utf8'));
    const instances = JSON.parse(readFileSync(join(this.state, 'instances.json'), 'utf8')) as Record<string, number>;
    const clusterNodes = Object.values(instances).sort((a, b) => a - b).slice(-3);
    const nodeReplicas = clusterNodes.map((clusterNode, i) => {
      const leaf = `${region}/node-${i + 1}`;
      const primary = arn(leaf);
      const replica = arn(leaf, region);
      const files = { 'ca.crt': ca, 'node.crt': certificate('node', 10), 'node.key': 'NODE KEY' };
      this.putSecret(primary, files);
      this.putSecret(replica, files);
      replicas[replica] = { primary, lag: options.replicaLag };
      renewal.pki.certificates.push({ address: `tls_locally_signed_cert.${region}-node-${i + 1}-cert_cert_0000000${i + 1}`, commonName: 'node', secretArn: primary, file: 'node.crt', secretVersionAddress: `aws_secretsmanager_secret_version.${region}-node-${i + 1}-secret_version_0000000${i + 1}`, notAfter: this.inDays(10) });
      this.installNode(clusterNode, { region, nodeSecretArn: replica, rootClientSecretArn: rootReplica }, files);
      return replica;
    });
    if (options.ory) {
      // The region's Ory: its Secrets are built from the replicas there of the client certificate secrets.
      const services: Record<string, unknown> = {};
      const parameters: Record<string, unknown> = {};
      for (const user of SERVICES) {
        const current = this.secret(`client-${user}`);
        const replica = arn(`client-${user}`, region);
        this.putSecret(replica, current);
        replicas[replica] = { primary: arn(`client-${user}`), lag: options.replicaLag };
        const deployed = { ca: current['ca.crt'] ?? '', cert: current[`client.${user}.crt`] ?? '' };
        const entry = oryServiceEntry(user, replica, oryPresentedCertificateParameterName(namePrefix, user), deployed);
        services[user] = entry.service;
        parameters[entry.parameter] = entry.resource;
        this.putParameter(entry.service.parameterName, `${deployed.ca}\n${deployed.cert}`);
      }
      renewal[`ory-${region}`] = { services };
      const oryDir = join(this.dir, 'cdktf.out', 'stacks', `ory-${region}`);
      mkdirSync(join(oryDir, '.terraform'), { recursive: true });
      writeFileSync(join(oryDir, 'cdk.tf.json'), JSON.stringify({ provider: { aws: [{ region }] }, resource: { aws_ssm_parameter: parameters } }));
    }
    writeFileSync(join(this.state, 'renewal.json'), JSON.stringify(renewal));
    writeFileSync(join(this.state, 'replicas.json'), JSON.stringify({ ...this.readState('replicas.json'), ...replicas }));
    this.putParameter(`/${namePrefix}/cockroach-pki/node_secret_arns`, JSON.stringify(nodeReplicas));
    this.putParameter(`/${namePrefix}/cockroach-pki/root_client_secret_arn`, JSON.stringify(rootReplica));
    writeFileSync(join(this.state, 'profiles.json'), JSON.stringify({
      ...this.readState('profiles.json'),
      'ops-primary': OPERATOR_SESSION,
      [`ops-${region}`]: { ...OPERATOR_SESSION, UserId: 'AROAEXAMPLEREGION:alice', Arn: `arn:aws:sts::123456789012:assumed-role/${role}/alice` },
    }));
    return relative;
  }

  /** Secret `leaf` as it is in `region` (a replica outside us-east-1). */
  secretIn(leaf: string, region: string): Record<string, string> {
    return JSON.parse(readFileSync(secretFile(this.state, arn(leaf, region)), 'utf8'));
  }

  renew(...args: string[]): { status: number; stdout: string; stderr: string } {
    return this.command('renew-certificates', ...args);
  }

  secret(leaf: string): Record<string, string> {
    return JSON.parse(readFileSync(secretFile(this.state, arn(leaf)), 'utf8'));
  }

  /** A file on node `n` (its root filesystem). */
  nodeFile(n: number, path: string): string {
    return readFileSync(join(this.state, 'nodes', String(n), 'root', path), 'utf8');
  }

  parameter(name: string): string {
    return JSON.parse(readFileSync(join(this.state, 'ssm-parameters.json'), 'utf8'))[name].value;
  }

  renewalEvents(): string[] {
    return JSON.parse(readFileSync(join(this.state, 'renewal.json'), 'utf8')).events ?? [];
  }

  private readState(file: string): Record<string, unknown> {
    try {
      return JSON.parse(readFileSync(join(this.state, file), 'utf8'));
    } catch {
      return {};
    }
  }

  private inDays(days: number): number {
    return Math.floor(Date.now() / 1000) + days * 86400;
  }

  private putSecret(secretArn: string, value: Record<string, string>): void {
    writeFileSync(secretFile(this.state, secretArn), JSON.stringify(value));
  }

  private putParameter(name: string, value: string): void {
    const file = join(this.state, 'ssm-parameters.json');
    let parameters: Record<string, unknown> = {};
    try {
      parameters = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      parameters = {};
    }
    parameters[name] = { value, version: 1 };
    writeFileSync(file, JSON.stringify(parameters));
  }

  /** What node n's boot installed: node.env, refresh-certs.sh, its certificates. */
  private installNode(n: number, reads: { readonly region: string; readonly nodeSecretArn: string; readonly rootClientSecretArn: string }, files: Record<string, string>): void {
    const root = join(this.state, 'nodes', String(n), 'root');
    for (const d of ['etc/cockroach', 'usr/local/lib/cockroach', 'var/lib/cockroach/certs']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(
      join(root, 'etc/cockroach/node.env'),
      renderNodeEnv({
        region: reads.region, nodeNumber: n, nodeIp: `10.10.1${n - 1}.10`, joinAddresses: [], availabilityZone: `${reads.region}a`, nodeSecretArn: reads.nodeSecretArn, dataVolumeId: 'vol-1',
        cockroachVersion: 'v25.4.0', cockroachSha256: 'a'.repeat(64), cockroachDownloadUrl: 'https://x', cache: '.25', maxSqlMemory: '.25',
        rootClientSecretArn: reads.rootClientSecretArn, clusterName: 'crdb-ory', metricsNamespace: NODE_METRICS_NAMESPACE,
        stopTimeoutSeconds: stopTimeoutSeconds(DEFAULT_DRAIN_SETTINGS),
      }),
    );
    writeFileSync(join(root, 'usr/local/lib/cockroach/refresh-certs.sh'), renderRefreshCertsScript(), { mode: 0o755 });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(root, 'var/lib/cockroach/certs', name), `${content.trimEnd()}\n`);
  }
}

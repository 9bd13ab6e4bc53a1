import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DRAIN_SETTINGS, NODE_METRICS_NAMESPACE, oryPresentedCertificateParameterName, renderNodeEnv, renderRefreshCertsScript, stopTimeoutSeconds } from '../src';
import { RollWorld } from './roll-world';
import { synthPki } from './synth';

const STUBS = join(__dirname, 'stubs');
const SERVICES = ['hydra', 'kratos', 'keto'] as const;
const arn = (leaf: string): string => `arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/${leaf}-AbCdEf`;
const secretFile = (state: string, secretArn: string): string => join(state, 'secrets', secretArn.replace(/[/:]/g, '_'));

/** A certificate (PEM) valid for `days` more days, made by openssl. */
export function certificate(commonName: string, days: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'crdb-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', `/CN=${commonName}`, '-days', String(days)], { stdio: 'ignore' });
  const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return pem;
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
      this.installNode(n, secretArn, { 'ca.crt': ca, 'node.crt': pem, 'node.key': 'NODE KEY' });
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
      const parameterName = oryPresentedCertificateParameterName('crdb-ory', user);
      const parameter = `presented-certificates_${user}-parameter_1234ABCD`;
      oryParameters[parameter] = { name: parameterName, type: 'String' };
      ory[user] = {
        secretArn,
        user,
        replicas: 3,
        secretAddress: `kubernetes_secret_v1.${user}-secret_secret_1234ABCD`,
        releaseAddress: `helm_release.${user}`,
        parameterAddress: `aws_ssm_parameter.${parameter}`,
        parameterName,
        deployed: { ca, cert: pem },
      };
      this.putParameter(parameterName, `${ca}\n${pem}`);
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
  private installNode(n: number, nodeSecretArn: string, files: Record<string, string>): void {
    const root = join(this.state, 'nodes', String(n), 'root');
    for (const d of ['etc/cockroach', 'usr/local/lib/cockroach', 'var/lib/cockroach/certs']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(
      join(root, 'etc/cockroach/node.env'),
      renderNodeEnv({
        region: 'us-east-1', nodeNumber: n, nodeIp: `10.10.1${n - 1}.10`, joinAddresses: [], availabilityZone: 'us-east-1a', nodeSecretArn, dataVolumeId: 'vol-1',
        cockroachVersion: 'v25.4.0', cockroachSha256: 'a'.repeat(64), cockroachDownloadUrl: 'https://x', cache: '.25', maxSqlMemory: '.25',
        rootClientSecretArn: arn('client-root'), clusterName: 'crdb-ory', metricsNamespace: NODE_METRICS_NAMESPACE,
        stopTimeoutSeconds: stopTimeoutSeconds(DEFAULT_DRAIN_SETTINGS),
      }),
    );
    writeFileSync(join(root, 'usr/local/lib/cockroach/refresh-certs.sh'), renderRefreshCertsScript(), { mode: 0o755 });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(root, 'var/lib/cockroach/certs', name), `${content.trimEnd()}\n`);
  }
}

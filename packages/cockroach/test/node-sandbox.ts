import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  BOOTSTRAP_PENDING_VALUE,
  DEFAULT_BACKUP_SCHEDULE,
  DEFAULT_DRAIN_SETTINGS,
  DEFAULT_SQL_USERS,
  NODE_METRICS_NAMESPACE,
  NodeBootSettings,
  bootstrapStatusParameterName,
  oryPresentedCertificatesPath,
  renderAlterBackupScheduleSql,
  renderBootstrapSql,
  renderCreateBackupScheduleSql,
  renderUserData,
  stopTimeoutSeconds,
} from '../src';

const STUBS = join(__dirname, 'stubs');
/** Commands the scripts call that must not touch this machine: each is stubbed. */
const LOGGED_COMMANDS = ['systemctl', 'chronyc', 'chown', 'useradd', 'id', 'dnf', 'blkid', 'mkfs.xfs', 'mountpoint', 'mount', 'curl', 'df'];

export const VERSION = 'v25.4.0';
export const VOLUME_ID = 'vol-0123456789abcdef0';
export const NODE_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/node-1-AbCdEf';
export const ROOT_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-root-AbCdEf';
export const BACKUP_BUCKET = 'crdb-ory-backups-123456789012-us-east-1';
export const BACKUP_SCHEDULE_FILES = {
  label: DEFAULT_BACKUP_SCHEDULE.label,
  createSql: renderCreateBackupScheduleSql(DEFAULT_BACKUP_SCHEDULE, BACKUP_BUCKET, 'us-east-1'),
  alterSql: renderAlterBackupScheduleSql(DEFAULT_BACKUP_SCHEDULE),
};
export const LICENSE_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/license-AbCdEf';
/** Where the ory stack publishes the certificates its services present. */
export const ORY_CERTIFICATES_PATH = oryPresentedCertificatesPath('crdb-ory');
/** The bootstrap status parameter, as the cockroach stack creates it before node 1. */
export const BOOTSTRAP_STATUS_PARAMETER = bootstrapStatusParameterName('crdb-ory');

/** Node 1's boot settings as the tests use them, with the release checksum `sha256`. */
export function nodeBootSettings(sha256: string, overrides: Partial<NodeBootSettings> = {}): NodeBootSettings {
  return {
    region: 'us-east-1',
    nodeNumber: 1,
    nodeIp: '10.10.10.10',
    joinAddresses: ['10.10.10.10:26257', '10.10.11.10:26257', '10.10.12.10:26257'],
    availabilityZone: 'us-east-1a',
    nodeSecretArn: NODE_SECRET,
    dataVolumeId: VOLUME_ID,
    cockroachVersion: VERSION,
    cockroachSha256: sha256,
    cockroachDownloadUrl: `https://binaries.cockroachdb.com/cockroach-${VERSION}.linux-amd64.tgz`,
    cache: '.25',
    maxSqlMemory: '.25',
    rootClientSecretArn: ROOT_SECRET,
    clusterName: 'crdb-ory',
    metricsNamespace: NODE_METRICS_NAMESPACE,
    oryCertificatesPath: ORY_CERTIFICATES_PATH,
    stopTimeoutSeconds: stopTimeoutSeconds(DEFAULT_DRAIN_SETTINGS),
    bootstrap: { sql: renderBootstrapSql(DEFAULT_SQL_USERS, { verifierSeesBackups: true }), backupSchedule: BACKUP_SCHEDULE_FILES, statusParameterName: BOOTSTRAP_STATUS_PARAMETER },
    ...overrides,
  };
}

export interface RunResult {
  readonly status: number;
  readonly stderr: string;
}

export interface NodeSandboxOptions {
  /**
   * The host has no jq, as a fresh Amazon Linux 2023 may not: PATH is rebuilt from the real
   * PATH without jq, and the dnf stub "installs" it.
   */
  readonly withoutJq?: boolean;
}

/**
 * A temp directory standing in for a node: `root/` is COCKROACH_BOOT_ROOT, `bin/` holds the
 * stubs (first on PATH), `state/` the stubs' state and call log, with a fake release tarball
 * whose real SHA-256 goes into node.env. The state (cluster, secrets, whether the data volume
 * has a filesystem) outlives the instance: `replaceInstance()` models a replacement.
 */
export class NodeSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'crdb-node-'));
  readonly root = join(this.dir, 'root');
  readonly bin = join(this.dir, 'bin');
  readonly state = join(this.dir, 'state');
  readonly sha256: string;
  private readonly searchPath: string;

  constructor(options: NodeSandboxOptions = {}) {
    for (const d of [this.bin, join(this.state, 'secrets')]) mkdirSync(d, { recursive: true });
    this.freshRoot();
    for (const name of ['cockroach', 'aws']) symlinkSync(join(STUBS, name), join(this.bin, name));
    for (const name of LOGGED_COMMANDS) symlinkSync(join(STUBS, 'logging-stub'), join(this.bin, name));
    this.searchPath = options.withoutJq ? `${this.bin}${delimiter}${this.systemBinWithout('jq')}` : `${this.bin}${delimiter}${process.env.PATH}`;
    this.sha256 = this.buildRelease(VERSION);
    this.putSecret(NODE_SECRET, { 'ca.crt': 'CA CERT', 'node.crt': 'NODE CERT', 'node.key': 'NODE KEY' });
    this.putSecret(ROOT_SECRET, { 'ca.crt': 'CA CERT', 'client.root.crt': 'ROOT CERT', 'client.root.key': 'ROOT KEY' });
    writeFileSync(join(this.state, 'ssm-parameters.json'), JSON.stringify({ [BOOTSTRAP_STATUS_PARAMETER]: { value: BOOTSTRAP_PENDING_VALUE, version: 1 } }));
  }

  /** Writes an SSM parameter (String) the aws stub serves, as a stack would create it. */
  putSsmParameter(name: string, value: string): void {
    const file = join(this.state, 'ssm-parameters.json');
    const parameters = JSON.parse(readFileSync(file, 'utf8'));
    parameters[name] = { value, version: (parameters[name]?.version ?? 0) + 1 };
    writeFileSync(file, JSON.stringify(parameters));
  }

  /**
   * CockroachDB's job scheduler runs the backup schedule on node `node` (the cockroach stub's
   * `__run-backup-schedule`): the job writes its lock and checkpoint files, then fails or succeeds
   * with the backup ending at `endTime` (unix seconds).
   */
  runScheduledBackup(outcome: 'fails' | 'succeeds', endTime?: number, node = 1): void {
    const run = spawnSync(join(STUBS, 'cockroach'), ['__run-backup-schedule', outcome, ...(endTime === undefined ? [] : [String(endTime)])], {
      encoding: 'utf8',
      env: { ...process.env, STUB_STATE: this.state, STUB_NODE: String(node) },
    });
    if (run.status !== 0) throw new Error(`__run-backup-schedule failed: ${run.stderr}`);
  }

  /** cockroach restarted on node `node`: its metrics start from 0 again. */
  restartCockroachProcess(node = 1): void {
    const cluster = this.cluster();
    if (cluster.backupMetrics?.[node]) cluster.backupMetrics[node] = { failed: 0, lastCompletedTime: 0 };
    writeFileSync(join(this.state, 'cluster.json'), JSON.stringify(cluster));
  }

  /** The object keys the aws stub holds in `bucket` (what the backups wrote). */
  s3Keys(bucket: string): string[] {
    const file = join(this.state, 's3.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8'))[bucket] ?? []) : [];
  }

  /** An SSM parameter as the aws stub keeps it. */
  ssmParameter(name: string): { value: string; version: number } | undefined {
    return JSON.parse(readFileSync(join(this.state, 'ssm-parameters.json'), 'utf8'))[name];
  }

  /**
   * The instance is replaced (terraform apply -replace): a fresh root filesystem and a new
   * instance that has never mounted anything, with the same data volume (still formatted if
   * it was), the same cluster and the same secrets.
   */
  replaceInstance(): void {
    rmSync(this.root, { recursive: true, force: true });
    this.freshRoot();
    for (const marker of readdirSync(this.state).filter((name) => name === 'mounted' || name.startsWith('user-'))) rmSync(join(this.state, marker));
  }

  /** The next `count` Secrets Manager calls fail with AccessDenied (IAM propagation). */
  failSecretsManager(count: number): void {
    writeFileSync(join(this.state, 'aws-failures'), String(count));
  }

  /** The next `count` dnf runs fail (a repository blip). */
  failDnf(count: number): void {
    writeFileSync(join(this.state, 'dnf-failures'), String(count));
  }

  settings(overrides: Partial<NodeBootSettings> = {}): NodeBootSettings {
    return nodeBootSettings(this.sha256, overrides);
  }

  putSecret(arn: string, value: Record<string, string> | string): void {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    writeFileSync(join(this.state, 'secrets', arn.replace(/[/:]/g, '_')), text);
  }

  attachVolume(): void {
    writeFileSync(join(this.root, 'dev/disk/by-id', `nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace('-', '')}`), '');
  }

  /** Makes the stub cluster refuse connections `times` times (or always). */
  makeClusterUnavailable(times: number | 'always'): void {
    writeFileSync(join(this.state, 'cockroach-unavailable'), String(times));
  }

  /** Writes the user data and runs it as cloud-init would (as root, once). */
  runUserData(settings: NodeBootSettings = this.settings()): RunResult {
    const file = join(this.dir, 'user-data.sh');
    writeFileSync(file, renderUserData(settings));
    chmodSync(file, 0o755);
    return this.run(file, []);
  }

  runBoot(): RunResult {
    return this.run(this.path('/usr/local/lib/cockroach/boot.sh'), [this.path('/etc/cockroach/node.env')]);
  }

  runBootstrap(): RunResult {
    return this.run(this.path('/usr/local/lib/cockroach/bootstrap.sh'), [this.path('/etc/cockroach/node.env')]);
  }

  /** What cockroach-cert-refresh.timer runs. */
  runRefreshCerts(): RunResult {
    return this.run(this.path('/usr/local/lib/cockroach/refresh-certs.sh'), [this.path('/etc/cockroach/node.env')]);
  }

  /** What cockroach-metrics.timer runs; `df` reports `availableBytes` of `sizeBytes`. */
  runMetrics(df?: { availableBytes: number; sizeBytes: number }): RunResult {
    if (df) writeFileSync(join(this.state, 'df'), `${df.availableBytes} ${df.sizeBytes}`);
    return this.run(this.path('/usr/local/lib/cockroach/publish-metrics.sh'), [this.path('/etc/cockroach/node.env')]);
  }

  /** The put-metric-data calls so far. */
  metrics(): Array<{ region: string; namespace: string; metricData: Array<{ MetricName: string; Value: number; Unit: string; Dimensions: Array<{ Name: string; Value: string }> }> }> {
    const log = join(this.state, 'metrics.log');
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];
  }

  /** cockroach is stopped (systemctl is-active fails). */
  stopCockroach(): void {
    writeFileSync(join(this.state, 'cockroach-inactive'), '');
  }

  path(nodePath: string): string {
    return join(this.root, nodePath);
  }

  read(nodePath: string): string {
    return readFileSync(this.path(nodePath), 'utf8');
  }

  mode(nodePath: string): string {
    return (statSync(this.path(nodePath)).mode & 0o777).toString(8);
  }

  calls(): string[] {
    const log = join(this.state, 'calls.log');
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  }

  cluster(): any {
    return JSON.parse(readFileSync(join(this.state, 'cluster.json'), 'utf8'));
  }

  /** Every file under root with its mode and content hash: what "changed nothing" compares. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else out[full.slice(this.root.length)] = `${(statSync(full).mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
      }
    };
    walk(this.root);
    return out;
  }

  private freshRoot(): void {
    for (const d of [this.root, join(this.root, 'dev/disk/by-id'), join(this.root, 'etc')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(this.root, 'etc/chrony.conf'), 'pool 2.amazon.pool.ntp.org iburst\n');
  }

  /** A directory of links to every command on the real PATH except `name`. */
  private systemBinWithout(name: string): string {
    const dir = join(this.dir, 'system-bin');
    mkdirSync(dir);
    for (const source of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
      for (const entry of safeList(source)) {
        const target = join(dir, entry);
        if (entry === name || existsSync(target) || !isExecutable(join(source, entry))) continue;
        symlinkSync(join(source, entry), target);
      }
    }
    return dir;
  }

  private run(file: string, args: string[]): RunResult {
    const result = spawnSync('bash', [file, ...args], {
      encoding: 'utf8',
      env: {
        PATH: this.searchPath,
        STUB_REAL_JQ: realJq(),
        HOME: this.dir,
        STUB_STATE: this.state,
        COCKROACH_BOOT_ROOT: this.root,
        COCKROACH_RETRY_ATTEMPTS: '4',
        COCKROACH_RETRY_SLEEP: '0',
      },
      timeout: 60_000,
    });
    return { status: result.status ?? -1, stderr: `${result.stderr}${result.error?.message ?? ''}` };
  }

  /**
   * A tarball shaped like the real release, cockroach-<v>.linux-amd64/{cockroach,lib/libgeos*.so},
   * served by the curl stub from now on; returns its SHA-256.
   */
  buildRelease(version: string): string {
    const name = `cockroach-${version}.linux-amd64`;
    const dir = join(this.dir, 'release', name);
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'cockroach'), `#!/bin/sh\necho fake cockroach ${version}\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'lib', 'libgeos.so'), `geos ${version}`);
    writeFileSync(join(dir, 'lib', 'libgeos_c.so'), `geos_c ${version}`);
    const tgz = join(this.state, 'release.tgz');
    const tar = spawnSync('tar', ['-czf', tgz, '-C', join(this.dir, 'release'), name]);
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    return createHash('sha256').update(readFileSync(tgz)).digest('hex');
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function realJq(): string {
  const found = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'jq')).find(isExecutable);
  if (!found) throw new Error('jq is needed by the node script tests (apt-get install -y jq)');
  return found;
}

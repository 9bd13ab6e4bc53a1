import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { currentConfiguration, writeSynthesisRecord } from '@crdb-ory/core/configuration-source';
import { CockroachStackProps, nodeRolloutAddresses } from '../src';
import { synthCluster } from './synth';

const STUBS = join(__dirname, 'stubs');
const LAUNCHER = join(__dirname, '..', 'bin', 'crdb-ory-cockroach.js');
const STUB_HOST_PRELOAD = join(__dirname, 'stub-host-preload.cjs');
export const BACKUP_BUCKET = 'crdb-ory-backups-123456789012-us-east-1';
export const ROOT_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-root-AbCdEf';
export const OPERATIONS_ROLE_ARN = 'arn:aws:iam::123456789012:role/crdb-ory-cockroach-operator';
export const OPERATIONS_LOG_GROUP = '/crdb-ory/cockroach/operations';
/** An operator's session of the operations role, as STS reports it. */
export const OPERATOR_SESSION = { UserId: 'AROAEXAMPLEOPERATOR:alice', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/crdb-ory-cockroach-operator/alice' };
export const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/crdb-ory-sql-nodes/0123456789abcdef';
const IPS = ['10.10.10.10', '10.10.11.10', '10.10.12.10'];
/**
 * `--poll-interval` of every command the worlds run: the stubs advance per call (readyAfter,
 * targetRegistersAfter and ssmRegistersAfter count polls, not seconds), so a short interval waits
 * through the same states as the operator's 15 s, without sleeping whole seconds between them.
 */
const POLL_INTERVAL = '0.05';

export interface RollWorldOptions {
  /** The version each node runs now (the cluster's nodes). @default v25.4.0 on all */
  readonly running?: readonly string[];
  /** The configured version (the settings records). */
  readonly configured: string;
  /** Nodes whose instance still runs older settings. @default all three */
  readonly pending?: readonly number[];
  /** `SHOW CLUSTER SETTING version`. @default 25.4 */
  readonly clusterVersion?: string;
  /** Extra state of the stub cluster (underReplicated, neverRereplicates, drainFails, settings...). */
  readonly cluster?: Record<string, unknown>;
  /** Extra state of the stub terraform (planDirty, applyFails, extraPlanChanges, readyAfter...). */
  readonly terraform?: Record<string, unknown>;
  /** Who runs the command (`aws sts get-caller-identity`). @default a session of the operations role */
  readonly caller?: Record<string, string> | null;
  /** Nodes that already keep root's client certificate (nodes booted before this version do not). @default [1] */
  readonly rootCertsOn?: readonly number[];
  readonly stack?: Partial<CockroachStackProps>;
  /** The AMI the configuration records (what the Amazon Linux 2023 parameter resolved to at the last plan). @default AMI */
  readonly configuredAmi?: string;
  /**
   * Run the JavaScript stubs the command calls as processes of their own, as they run on PATH.
   * @default false: they run inside the command's process (stub-host.cjs), which saves a node
   * start-up per call; one spec per command keeps them as processes.
   */
  readonly stubProcesses?: boolean;
}

/** The AMI every node booted from. */
export const AMI = 'ami-0a1b2c3d4e5f60718';
const settings = (version: string, ami = AMI) => ({ ami_id: ami, cockroach_version: version, cockroach_sha256: 'a'.repeat(64), cache: '.25', max_sql_memory: '.25', instance_type: 'm6i.2xlarge', user_data_sha256: version });

/** Synthesizing takes about a second: worlds with the same stack props share one (read-only) JSON. */
const SYNTHESIZED = new Map<string, Record<string, any>>();
function synthesized(props: Partial<CockroachStackProps>): Record<string, any> {
  const key = JSON.stringify(props);
  const cached = SYNTHESIZED.get(key);
  if (cached) return cached;
  const json = synthCluster(props);
  SYNTHESIZED.set(key, json);
  return json;
}

/**
 * A cockroach stack as the roll finds it on an operator's machine: the synthesized stack
 * directory, `terraform`, `aws` (SSM Run Command onto three "nodes") and, on each node,
 * `cockroach`, `curl` and `systemctl`, all stubs sharing one model of the cluster. The roll
 * runs as a process through the package's bin launcher, as `npm run roll` does.
 */
export class RollWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'crdb-roll-'));
  readonly state = join(this.dir, 'state');
  readonly bin = join(this.dir, 'bin');
  readonly stackDir = join(this.dir, 'cdktf.out', 'stacks', 'cockroach');
  readonly json: Record<string, any>;
  private readonly preload: readonly string[];

  constructor(options: RollWorldOptions) {
    this.preload = options.stubProcesses ? [] : ['--require', STUB_HOST_PRELOAD];
    this.json = synthesized(options.stack ?? {});
    for (const d of [this.state, this.bin, join(this.stackDir, '.terraform'), join(this.state, 'secrets')]) mkdirSync(d, { recursive: true });
    for (const name of ['terraform', 'aws', 'cockroach']) symlinkSync(join(STUBS, name), join(this.bin, name));
    for (const name of ['curl', 'systemctl']) symlinkSync(join(STUBS, 'logging-stub'), join(this.bin, name));
    writeFileSync(join(this.stackDir, 'cdk.tf.json'), JSON.stringify(this.json));
    // As `npm run synth` writes it: cdktf.out says which configuration it came from (here the defaults: no config file in the project).
    writeSynthesisRecord(join(this.dir, 'cdktf.out'), currentConfiguration({}, this.dir));
    const running = options.running ?? ['v25.4.0', 'v25.4.0', 'v25.4.0'];
    if (running.length !== 3) throw new Error(`RollWorld: options.running names ${running.length} versions; it needs one per node (3)`);
    const pending = options.pending ?? [1, 2, 3];
    const instances = [1, 2, 3].map((n) => `i-0c${String(n).padStart(15, '0')}`);
    writeFileSync(join(this.state, 'instances.json'), JSON.stringify(Object.fromEntries(instances.map((id, i) => [id, i + 1]))));
    // Every node's target is healthy in the SQL target group.
    writeFileSync(join(this.state, 'targets.json'), JSON.stringify(Object.fromEntries(instances.map((id) => [id, { registering: 0, state: 'healthy', streak: 2, last: true }]))));
    writeFileSync(join(this.state, 'terraform.json'), JSON.stringify({
      wanted: settings(options.configured, options.configuredAmi),
      running: Object.fromEntries([1, 2, 3].map((n) => [n, pending.includes(n) ? settings(running[n - 1]) : settings(options.configured, options.configuredAmi)])),
      instances: Object.fromEntries(instances.map((id, i) => [i + 1, id])),
      ips: IPS,
      rootClientSecretArn: ROOT_SECRET_ARN,
      backupBucketName: BACKUP_BUCKET,
      operationsRoleArn: OPERATIONS_ROLE_ARN,
      operationsLogGroupName: OPERATIONS_LOG_GROUP,
      targetGroupArn: TARGET_GROUP_ARN,
      dependents: {},
      counter: 3,
      ...options.terraform,
    }));
    writeFileSync(join(this.state, 'cluster.json'), JSON.stringify({
      initialized: true,
      clusterId: '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f',
      clusterVersion: options.clusterVersion ?? '25.4',
      nodes: Object.fromEntries([1, 2, 3].map((n) => [n, { binary: running[n - 1], address: `${IPS[n - 1]}:26257`, status: 'running', live: true, draining: false }])),
      ...options.cluster,
    }));
    if (options.caller !== null) writeFileSync(join(this.state, 'caller.json'), JSON.stringify(options.caller ?? OPERATOR_SESSION));
    writeFileSync(join(this.state, 'secrets', ROOT_SECRET_ARN.replace(/[/:]/g, '_')), JSON.stringify({ 'ca.crt': 'CA', 'client.root.crt': 'ROOT CERT', 'client.root.key': 'ROOT KEY' }));
    for (const n of options.rootCertsOn ?? [1]) {
      const certs = join(this.state, 'nodes', String(n), 'root', 'root', '.cockroach-certs');
      mkdirSync(certs, { recursive: true });
      for (const name of ['ca.crt', 'client.root.crt', 'client.root.key']) writeFileSync(join(certs, name), `${name}\n`);
    }
    for (const n of [1, 2, 3]) mkdirSync(join(this.state, 'nodes', String(n), 'root'), { recursive: true });
  }

  /**
   * Another region's cockroach stack beside this one (a multi-region cluster): its synthesized
   * directory `cdktf.out/stacks/<name>` (this stack's JSON with the aws provider in `region`), its
   * own Terraform state, three more nodes in the stub cluster (numbered on from the ones there),
   * their instances and load balancer targets. `pending` lists its nodes (1-3) still on `running`.
   * Returns the stack directory, relative to the project root.
   */
  addRegionStack(name: string, region: string, options: { readonly configured: string; readonly running: string; readonly pending: readonly number[] }): string {
    const relative = join('cdktf.out', 'stacks', name);
    const stackDir = join(this.dir, relative);
    mkdirSync(join(stackDir, '.terraform'), { recursive: true });
    writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify({ ...this.json, provider: { ...this.json.provider, aws: [{ ...this.json.provider.aws[0], region }] } }));
    const cluster = this.cluster();
    const first = Object.keys(cluster.nodes).length + 1;
    const numbers = [first, first + 1, first + 2];
    const ips = numbers.map((_, i) => `10.${20 + first}.${i}.10`);
    const instances = numbers.map((n) => `i-0d${String(n).padStart(15, '0')}`);
    const local = (i: number) => i + 1;
    writeFileSync(join(this.state, `terraform.${name}.json`), JSON.stringify({
      ...this.terraform(),
      wanted: settings(options.configured),
      running: Object.fromEntries(numbers.map((_, i) => [local(i), options.pending.includes(local(i)) ? settings(options.running) : settings(options.configured)])),
      instances: Object.fromEntries(instances.map((id, i) => [local(i), id])),
      outputInstances: undefined,
      outputRunning: undefined,
      ips,
      clusterNodes: Object.fromEntries(numbers.map((n, i) => [local(i), n])),
      targetGroupArn: TARGET_GROUP_ARN.replace('us-east-1', region),
      counter: 100 * first,
    }));
    for (const [i, n] of numbers.entries()) {
      cluster.nodes[n] = { binary: options.pending.includes(local(i)) ? options.running : options.configured, address: `${ips[i]}:26257`, status: 'running', live: true, draining: false };
      mkdirSync(join(this.state, 'nodes', String(n), 'root'), { recursive: true });
    }
    writeFileSync(join(this.state, 'cluster.json'), JSON.stringify(cluster));
    const addTo = (file: string, entries: Record<string, unknown>) => writeFileSync(join(this.state, file), JSON.stringify({ ...JSON.parse(readFileSync(join(this.state, file), 'utf8')), ...entries }));
    addTo('instances.json', Object.fromEntries(instances.map((id, i) => [id, numbers[i]])));
    addTo('targets.json', Object.fromEntries(instances.map((id) => [id, { registering: 0, state: 'healthy', streak: 2, last: true }])));
    return relative;
  }

  /** `crdb-ory-cockroach roll <args>` from the project root (the stack under cdktf.out/stacks/cockroach). */
  roll(...args: string[]): { status: number; stdout: string; stderr: string } {
    return this.command('roll', ...args);
  }

  restore(...args: string[]): { status: number; stdout: string; stderr: string } {
    return this.command('restore', ...args);
  }

  /** S3 objects the stub `aws s3api` lists, per bucket. */
  putObjects(bucket: string, keys: readonly string[]): void {
    writeFileSync(join(this.state, 's3.json'), JSON.stringify({ [bucket]: keys }));
  }

  /** `crdb-ory-cockroach <name> <args>` from the project root, as its npm script runs it. */
  command(name: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
    // As the npm script runs it: with the source condition, so the launcher runs the sources in this one process.
    const result = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', ...this.preload, LAUNCHER, name, '--poll-interval', POLL_INTERVAL, ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { PATH: `${this.bin}${delimiter}${process.env.PATH}`, STUB_STATE: this.state, HOME: this.dir },
      timeout: 240_000,
    });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: `${result.stderr}${result.error?.message ?? ''}` };
  }

  setNodeStatus(n: number, status: 'running' | 'stopped'): void {
    const cluster = this.cluster();
    cluster.nodes[String(n)].status = status;
    writeFileSync(join(this.state, 'cluster.json'), JSON.stringify(cluster));
  }

  updateTerraform(changes: Record<string, unknown>): void {
    writeFileSync(join(this.state, 'terraform.json'), JSON.stringify({ ...this.terraform(), ...changes }));
  }

  cluster(): any {
    return JSON.parse(readFileSync(join(this.state, 'cluster.json'), 'utf8'));
  }

  terraform(): any {
    return JSON.parse(readFileSync(join(this.state, 'terraform.json'), 'utf8'));
  }

  /** What changed the cluster, in order: drains, replacements, starts, settings, finalization. */
  events(): string[] {
    return this.cluster().events ?? [];
  }

  /** Every Run Command invocation the stub kept (GetCommandInvocation's view). */
  invocations(): Array<Record<string, any>> {
    const dir = join(this.state, 'ssm');
    return existsSync(dir) ? readdirSync(dir).map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8'))) : [];
  }

  calls(): string[] {
    const log = join(this.state, 'calls.log');
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  }

  /** The alarms (and other resources) reading node `n`'s instance id. */
  dependentsOf(n: number): string[] {
    const node = nodeRolloutAddresses(this.json)[n - 1];
    if (!node) throw new Error(`RollWorld: the synthesized stack has no node ${n}`);
    const { instance } = node;
    return Object.entries(this.json.resource as Record<string, Record<string, unknown>>).flatMap(([type, byName]) =>
      Object.entries(byName).filter(([, config]) => JSON.stringify(config).includes(`${instance}.`) && type !== 'aws_instance').map(([name]) => `${type}.${name}`),
    ).filter((address) => !address.includes('attachment') && !address.includes('running-settings'));
  }
}

/**
 * A RollWorld whose stack holds the first region's three nodes, with three more nodes in each other
 * region (other stacks: the stub cluster only), every node's `--locality` `region=<r>,zone=<r>a..c`
 * (node ids 1-3 the first region, 4-6 the second...), and the Ory databases (hydra, kratos, keto)
 * with the multi-region state `dbRegions`.
 */
export function threeRegionWorld(regions: readonly string[], dbRegions: object): RollWorld {
  const world = new RollWorld({ configured: 'v25.4.0', pending: [] });
  const cluster = world.cluster();
  const stackNodes = Object.values(cluster.nodes) as Array<Record<string, unknown>>;
  cluster.nodes = Object.fromEntries(
    regions.flatMap((region, r) =>
      ['a', 'b', 'c'].map((zone, z) => [3 * r + z + 1, { ...(r === 0 ? stackNodes[z] : { binary: 'v25.4.0', address: `10.${20 + r}.${z}.10:26257`, status: 'running', live: true, draining: false }), locality: `region=${region},zone=${region}${zone}` }]),
    ),
  );
  cluster.dbs = Object.fromEntries(['hydra', 'kratos', 'keto'].map((d) => [d, { grants: {}, schema: { grants: {} }, defaultPrivileges: [], objects: {}, regions: dbRegions }]));
  writeFileSync(join(world.state, 'cluster.json'), JSON.stringify(cluster));
  return world;
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, assert, describe, expect, it } from 'vitest';
import { BOOTSTRAP_PENDING_VALUE, DEFAULT_BACKUP_SCHEDULE, renderAlterBackupScheduleSql, renderUserData } from '../src';
import { evaluateAlarm } from './alarm-evaluation';
import { BACKUP_BUCKET, BACKUP_SCHEDULE_FILES, BOOTSTRAP_STATUS_PARAMETER, LICENSE_SECRET, NODE_SECRET, NodeSandbox, ORY_CERTIFICATES_PATH, ROOT_SECRET, VOLUME_ID } from './node-sandbox';
import { Template } from '@crdb-ory/core/testing';
import { Json, synthBackup } from './synth';

const DEVICE = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace('-', '')}`;

type MetricsCall = ReturnType<NodeSandbox['metrics']>[number];

/** The bootstrap settings a node sandbox boots node 1 with; fails the test when it has none. */
function bootstrapOf(node: NodeSandbox) {
  const { bootstrap } = node.settings();
  assert.exists(bootstrap, 'the bootstrap settings of node 1');
  return bootstrap;
}

/** Call `index` of the PutMetricData calls a node made; fails the test when there is no such call. */
function callAt(calls: readonly MetricsCall[], index: number): MetricsCall {
  const call = calls[index];
  assert.exists(call, `PutMetricData call ${index} (of ${calls.length})`);
  return call;
}

/** The datum `name` of a PutMetricData call; fails the test when the call has none. */
function datum(call: MetricsCall, name: string): MetricsCall['metricData'][number] {
  const found = call.metricData.find((m) => m.MetricName === name);
  assert.exists(found, `a ${name} datum in ${call.metricData.map((m) => m.MetricName).join(', ')}`);
  return found;
}

/** The command line of `calls` that `matches`, the last one when `last`; fails the test when there is none. */
function callLine(calls: readonly string[], matches: (call: string) => boolean, what: string, last = false): string {
  const found = last ? calls.filter(matches).at(-1) : calls.find(matches);
  assert.exists(found, what);
  return found;
}

function bootedNode(overrides = {}, node = new NodeSandbox()): NodeSandbox {
  node.attachVolume();
  const result = node.runUserData(node.settings(overrides));
  expect(result.stderr).toMatch(/node \d is configured/);
  expect(result.status).toBe(0);
  return node;
}

/** Nodes booted once per file, by boot settings: for specs that only read what the boot left behind (each boot runs user data with about 40 stub calls). */
const BOOTED_ONCE = new Map<string, NodeSandbox>();
const NODE_2 = { nodeNumber: 2, bootstrap: undefined };
/** `bootedNode(overrides)`, shared with the other specs that only read it: never run a script on it or change its state. */
function readOnlyBootedNode(overrides: { nodeNumber?: number; bootstrap?: undefined } = {}): NodeSandbox {
  const key = JSON.stringify(overrides);
  const node = BOOTED_ONCE.get(key) ?? bootedNode(overrides);
  BOOTED_ONCE.set(key, node);
  return node;
}

describe('boot.sh (run for real against stubs)', () => {
  it('installs the pinned release after checking its SHA-256', () => {
    const node = readOnlyBootedNode();
    expect(node.read('/usr/local/bin/cockroach')).toContain('fake cockroach');
    expect(node.mode('/usr/local/bin/cockroach')).toBe('755');
    expect(node.calls()).toContain('curl -fsSL -o ' + callLine(node.calls(), (c) => c.startsWith('curl'), 'a curl call').split(' ')[3] + ' https://binaries.cockroachdb.com/cockroach-v25.4.0.linux-amd64.tgz');
  });

  it('installs the spatial libraries where CockroachDB looks for them (/usr/local/lib/cockroach), not in a subfolder', () => {
    const node = readOnlyBootedNode();
    expect(node.read('/usr/local/lib/cockroach/libgeos.so')).toBe('geos v25.4.0');
    expect(node.read('/usr/local/lib/cockroach/libgeos_c.so')).toBe('geos_c v25.4.0');
    expect(() => node.read('/usr/local/lib/cockroach/lib/libgeos.so')).toThrow();
    expect(node.read('/etc/systemd/system/cockroach.service')).not.toContain('LD_LIBRARY_PATH');
  });

  it('refuses a download whose SHA-256 differs, installing nothing', () => {
    const node = new NodeSandbox();
    node.attachVolume();
    const result = node.runUserData(node.settings({ cockroachSha256: '0'.repeat(64) }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`is not ${'0'.repeat(64)}: refusing to install it`);
    expect(() => node.read('/usr/local/bin/cockroach')).toThrow();
  });

  it('points chrony at Amazon Time Sync and waits for the clock', () => {
    const node = readOnlyBootedNode();
    expect(node.read('/etc/chrony.conf')).toContain('server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4');
    expect(node.calls()).toEqual(expect.arrayContaining(['systemctl enable chronyd', 'systemctl restart chronyd', 'chronyc waitsync 1 0.1']));
  });

  it('formats a blank data volume (found by its EBS volume id), mounts it through fstab as the store', () => {
    const node = readOnlyBootedNode();
    expect(node.calls()).toContain(`mkfs.xfs -L cockroach-data ${node.path(DEVICE)}`);
    expect(node.read('/etc/fstab')).toBe(`${DEVICE} /var/lib/cockroach/data xfs defaults,noatime,nofail 0 2\n`);
    expect(node.calls()).toContain(`mount ${node.path('/var/lib/cockroach/data')}`);
    expect(node.calls()).toContain(`chown cockroach:cockroach ${node.path('/var/lib/cockroach/data')}`);
  });

  it('fails clearly when the data volume never attaches', () => {
    const node = new NodeSandbox();
    const result = node.runUserData();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`ERROR: attachment of data volume ${VOLUME_ID} did not succeed after 4 attempts`);
    expect(node.calls().some((c) => c.startsWith('mkfs'))).toBe(false);
  });

  it('writes the node certificates from its secret: owner cockroach, key 0600, certificates 0644', () => {
    const node = readOnlyBootedNode();
    expect(node.read('/var/lib/cockroach/certs/node.key')).toBe('NODE KEY\n');
    expect(node.read('/var/lib/cockroach/certs/node.crt')).toBe('NODE CERT\n');
    expect(node.read('/var/lib/cockroach/certs/ca.crt')).toBe('CA CERT\n');
    expect(node.mode('/var/lib/cockroach/certs/node.key')).toBe('600');
    expect(node.mode('/var/lib/cockroach/certs/node.crt')).toBe('644');
    expect(node.mode('/var/lib/cockroach/certs')).toBe('700');
    expect(node.calls().filter((c) => c.startsWith('chown') && c.includes('/certs/')).every((c) => c.startsWith('chown cockroach:cockroach'))).toBe(true);
    // The boot reads the node's own secret and root's client certificate (admin commands on every node), nothing else.
    const secretIds = node.calls().filter((c) => c.startsWith('aws secretsmanager')).map((c) => /--secret-id (\S+)/.exec(c)?.[1]);
    expect([...new Set(secretIds)].sort()).toEqual([ROOT_SECRET, NODE_SECRET].sort());
  });

  it('retries reading its secret while the role permissions propagate (user data runs only once)', () => {
    const node = new NodeSandbox();
    node.attachVolume();
    node.failSecretsManager(2);
    const result = node.runUserData();
    expect(result.stderr).toContain(`reading secret ${NODE_SECRET} failed (attempt 1 of 4); retrying`);
    expect(result.stderr).toContain(`reading secret ${NODE_SECRET} failed (attempt 2 of 4); retrying`);
    expect(result.status).toBe(0);
    expect(node.read('/var/lib/cockroach/certs/node.key')).toBe('NODE KEY\n');
  });

  it('ends with a clear error when the secret stays unreadable', () => {
    const node = new NodeSandbox();
    node.attachVolume();
    node.failSecretsManager(100);
    const result = node.runUserData();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`ERROR: reading secret ${NODE_SECRET} did not succeed after 4 attempts`);
    expect(node.calls()).not.toContain('systemctl enable --now cockroach.service');
  });

  it('installs jq when the image lacks it, retrying a package repository blip', () => {
    const node = new NodeSandbox({ withoutJq: true });
    node.attachVolume();
    node.failDnf(2);
    const result = node.runUserData();
    expect(result.stderr).toContain('installing jq failed (attempt 2 of 4); retrying');
    expect(result.status).toBe(0);
    expect(node.calls().filter((c) => c === 'dnf install -y jq')).toHaveLength(3);
    expect(node.read('/var/lib/cockroach/certs/ca.crt')).toBe('CA CERT\n');
  });

  it('fails clearly when the node secret lacks a file', () => {
    const node = new NodeSandbox();
    node.attachVolume();
    node.putSecret(node.settings().nodeSecretArn, { 'ca.crt': 'CA', 'node.crt': 'CERT' });
    const result = node.runUserData();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('has no node.key');
  });

  it('writes the systemd unit with the start flags of design section 5 and starts it', () => {
    const unit = readOnlyBootedNode().read('/etc/systemd/system/cockroach.service');
    const execStart = unit.split('\n').find((l) => l.startsWith('ExecStart='));
    assert.exists(execStart, 'an ExecStart= line in the unit');
    expect(execStart.split(' ')).toEqual([
      'ExecStart=/usr/local/bin/cockroach',
      'start',
      '--certs-dir=/var/lib/cockroach/certs',
      '--store=/var/lib/cockroach/data',
      '--listen-addr=:26257',
      '--advertise-addr=10.10.10.10:26257',
      '--http-addr=:8080',
      '--join=10.10.10.10:26257,10.10.11.10:26257,10.10.12.10:26257',
      '--locality=region=us-east-1,zone=us-east-1a',
      '--cache=.25',
      '--max-sql-memory=.25',
    ]);
    // TimeoutStopSec covers a whole drain (a stop drains too): 30 + 330 + 2 x 10 + 5 s, plus a minute.
    for (const line of ['Type=notify', 'User=cockroach', 'TimeoutStopSec=445', 'Restart=always', 'ExecReload=/bin/kill -HUP $MAINPID', 'RequiresMountsFor=/var/lib/cockroach/data']) {
      expect(unit.split('\n')).toContain(line);
    }
    const limitNoFile = /^LimitNOFILE=(\d+)$/m.exec(unit)?.[1];
    assert.exists(limitNoFile, 'a LimitNOFILE= line in the unit');
    expect(Number(limitNoFile)).toBeGreaterThanOrEqual(15000);
  });

  it('starts cockroach on every node, and the bootstrap unit on node 1 only', () => {
    const first = readOnlyBootedNode();
    expect(first.calls()).toEqual(expect.arrayContaining(['systemctl enable --now cockroach.service', 'systemctl enable --now --no-block cockroach-bootstrap.service']));
    expect(first.read('/etc/systemd/system/cockroach-bootstrap.service')).toContain('ExecStart=/usr/local/lib/cockroach/bootstrap.sh /etc/cockroach/node.env');
    const second = readOnlyBootedNode(NODE_2);
    expect(second.calls()).toContain('systemctl enable --now cockroach.service');
    expect(second.calls().some((c) => c.includes('bootstrap'))).toBe(false);
  });

  it('a second run changes nothing and succeeds', () => {
    const node = bootedNode();
    const before = node.snapshot();
    const callsBefore = node.calls().length;
    const again = node.runBoot();
    expect(again.status).toBe(0);
    expect(node.snapshot()).toEqual(before);
    const secondRun = node.calls().slice(callsBefore);
    for (const changing of ['curl', 'mkfs.xfs', 'useradd', 'mount ', 'systemctl daemon-reload']) {
      expect(secondRun.filter((c) => c.startsWith(changing))).toEqual([]);
    }
    expect(again.stderr).toContain('CockroachDB v25.4.0 is installed');
  });
});

describe('a replaced instance (terraform apply -replace) on the retained data volume', () => {
  function replacedNode1(newVersion?: string): { node: NodeSandbox; callsBefore: number; result: ReturnType<NodeSandbox['runUserData']> } {
    const node = bootedNode();
    expect(node.runBootstrap().status).toBe(0);
    node.replaceInstance();
    node.attachVolume();
    const sha256 = newVersion ? node.buildRelease(newVersion) : node.sha256;
    const settings = node.settings(newVersion ? { cockroachVersion: newVersion, cockroachSha256: sha256, cockroachDownloadUrl: `https://binaries.cockroachdb.com/cockroach-${newVersion}.linux-amd64.tgz` } : {});
    const callsBefore = node.calls().length;
    return { node, callsBefore, result: node.runUserData(settings) };
  }

  it('keeps the existing store: no reformat, mounts it through a new fstab entry, starts cockroach on it (the node rejoins)', () => {
    const { node, callsBefore, result } = replacedNode1();
    expect(result.status).toBe(0);
    const calls = node.calls().slice(callsBefore);
    expect(calls.some((c) => c.startsWith('mkfs'))).toBe(false);
    expect(calls).toContain(`mount ${node.path('/var/lib/cockroach/data')}`);
    expect(node.read('/etc/fstab')).toBe(`${DEVICE} /var/lib/cockroach/data xfs defaults,noatime,nofail 0 2\n`);
    expect(calls).toContain('systemctl enable --now cockroach.service');
    expect(node.read('/etc/systemd/system/cockroach.service')).toContain('--store=/var/lib/cockroach/data --listen-addr=:26257 --advertise-addr=10.10.10.10:26257');
  });

  it('installs the new version with its libraries at first boot: that is how an upgrade takes effect', () => {
    const { node, result } = replacedNode1('v25.4.1');
    expect(result.status).toBe(0);
    expect(node.read('/usr/local/bin/cockroach')).toContain('fake cockroach v25.4.1');
    expect(node.read('/usr/local/lib/cockroach/libgeos.so')).toBe('geos v25.4.1');
    expect(node.calls()).toContain(`curl -fsSL -o ${callLine(node.calls(), (c) => c.startsWith('curl'), 'a curl call', true).split(' ')[3]} https://binaries.cockroachdb.com/cockroach-v25.4.1.linux-amd64.tgz`);
  });

  it('node 1 runs bootstrap again: already initialized is success and the cluster is unchanged', () => {
    const { node } = replacedNode1();
    const before = node.cluster();
    const again = node.runBootstrap();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('cluster was already initialized');
    expect(again.stderr).toContain('bootstrap complete');
    expect(node.cluster()).toEqual(before);
    expect(node.read('/root/.cockroach-certs/client.root.key')).toBe('ROOT KEY\n');
  });
});

describe('user data size', () => {
  it('stays under the 16 KB EC2 limit on node 1, gzipped as the instance gets it (bootstrap SQL, schedule and license included)', () => {
    const node = new NodeSandbox();
    const text = renderUserData(node.settings({ bootstrap: { ...bootstrapOf(node), licenseSecretArn: LICENSE_SECRET } }));
    expect(gzipSync(text).length).toBeLessThan(16 * 1024);
  });
});

describe('bootstrap.sh (run for real against a stub cluster)', () => {
  it('first run: initializes the cluster, creates the databases, users, grants and verifier default privileges', () => {
    const node = bootedNode();
    const result = node.runBootstrap();
    expect(result.stderr).toContain('bootstrap complete');
    expect(result.status).toBe(0);
    const cluster = node.cluster();
    expect(cluster.initialized).toBe(true);
    expect(Object.keys(cluster.dbs).sort()).toEqual(['hydra', 'keto', 'kratos']);
    expect(cluster.users).toEqual(['hydra', 'keto', 'kratos', 'verifier']);
    for (const db of ['hydra', 'keto', 'kratos']) {
      // Each service user ALL on its own database only, CREATE and USAGE on its public schema; the verifier CONNECT and SELECT on what the service user creates.
      expect(cluster.dbs[db].grants).toEqual({ admin: ['ALL'], public: ['CONNECT'], root: ['ALL'], [db]: ['ALL'], verifier: ['CONNECT'] });
      expect(cluster.dbs[db].schema.grants[db]).toEqual(['CREATE', 'USAGE']);
      expect(cluster.dbs[db].defaultPrivileges).toEqual([`tables of ${db} -> SELECT for verifier`]);
    }
    // The drain of CockroachDB's "Node shutdown" page: connections may stay up to 330 s, above Ory's 300 s max_conn_lifetime.
    expect(cluster.settings).toEqual({ 'server.shutdown.initial_wait': '30s', 'server.shutdown.connections.timeout': '330s', 'server.shutdown.transactions.timeout': '10s' });
  });

  it('talks to the node itself, with root client certificates it fetched into a root-only dir', () => {
    const node = bootedNode();
    node.runBootstrap();
    const cockroachCalls = node.calls().filter((c) => c.startsWith('cockroach '));
    expect(cockroachCalls.length).toBeGreaterThan(0);
    for (const call of cockroachCalls) expect(call).toContain('--host=10.10.10.10:26257');
    expect(node.read('/root/.cockroach-certs/client.root.key')).toBe('ROOT KEY\n');
    expect(node.mode('/root/.cockroach-certs/client.root.key')).toBe('600');
    expect(node.mode('/root/.cockroach-certs')).toBe('700');
    expect(node.calls()).toContain(`aws secretsmanager get-secret-value --region us-east-1 --secret-id ${ROOT_SECRET} --query SecretString --output text`);
  });

  it('warns that an unlicensed cluster is throttled', () => {
    const node = bootedNode();
    expect(node.runBootstrap().stderr).toContain('WARNING: no license key configured; the cluster is throttled 7 days after init');
  });

  it('a second run changes nothing and succeeds ("already been initialized" is success)', () => {
    const node = bootedNode();
    node.runBootstrap();
    const before = node.cluster();
    const again = node.runBootstrap();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('cluster was already initialized');
    expect(node.cluster()).toEqual(before);
  });

  it('retries a cluster that is temporarily unavailable', () => {
    const node = bootedNode();
    node.makeClusterUnavailable(2);
    const result = node.runBootstrap();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('cockroach init failed (attempt 1 of 4); retrying');
    expect(result.stderr).toContain('cockroach init failed (attempt 2 of 4); retrying');
    expect(Object.keys(node.cluster().dbs).sort()).toEqual(['hydra', 'keto', 'kratos']);
  });

  it('ends with a clear error when the cluster never answers', () => {
    const node = bootedNode();
    node.makeClusterUnavailable('always');
    const result = node.runBootstrap();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERROR: cockroach init did not succeed after 4 attempts');
    expect(result.stderr).not.toContain('bootstrap complete');
  });

  it('applies the license key from its secret', () => {
    const node = bootedNode({ bootstrap: { ...bootstrapOf(new NodeSandbox()), licenseSecretArn: LICENSE_SECRET } });
    node.putSecret(LICENSE_SECRET, 'crl-0-ChB1bmlxdWUta2V5LWZvci10ZXN0');
    const result = node.runBootstrap();
    expect(result.status).toBe(0);
    expect(node.cluster().settings).toEqual({ 'enterprise.license': 'crl-0-ChB1bmlxdWUta2V5LWZvci10ZXN0', 'server.shutdown.initial_wait': '30s', 'server.shutdown.connections.timeout': '330s', 'server.shutdown.transactions.timeout': '10s' });
    expect(node.calls().join('\n')).not.toContain('crl-0-');
  });

  it('refuses a license secret that is not a license key, before any SQL', () => {
    const node = bootedNode({ bootstrap: { ...bootstrapOf(new NodeSandbox()), licenseSecretArn: LICENSE_SECRET } });
    node.putSecret(LICENSE_SECRET, "x'; DROP DATABASE hydra; --");
    const result = node.runBootstrap();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`license secret ${LICENSE_SECRET} does not hold a CockroachDB license key`);
    expect(Object.keys(node.cluster().dbs)).toContain('hydra');
    expect(node.cluster().settings).toEqual({ 'server.shutdown.initial_wait': '30s', 'server.shutdown.connections.timeout': '330s', 'server.shutdown.transactions.timeout': '10s' });
  });
});

describe('bootstrap.sh: publishes its completion for the ory stack (SSM parameter)', () => {
  const CLUSTER_ID = '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f';

  it('overwrites the pending parameter with "complete cluster=<id> at=<UTC time>" as its last step', () => {
    const node = bootedNode();
    expect(node.ssmParameter(BOOTSTRAP_STATUS_PARAMETER)).toEqual({ value: BOOTSTRAP_PENDING_VALUE, version: 1 });
    const result = node.runBootstrap();
    expect(result.status).toBe(0);
    const parameter = node.ssmParameter(BOOTSTRAP_STATUS_PARAMETER);
    assert.exists(parameter, BOOTSTRAP_STATUS_PARAMETER);
    expect(parameter.value).toMatch(new RegExp(`^complete cluster=${CLUSTER_ID} at=\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$`));
    expect(parameter.version).toBe(2);
    const calls = node.calls();
    const publish = calls.findIndex((c) => c.startsWith('aws ssm put-parameter'));
    expect(calls[publish]).toContain(`--region us-east-1 --name ${BOOTSTRAP_STATUS_PARAMETER} --overwrite --value complete cluster=${CLUSTER_ID}`);
    // After the databases, users, grants and the backup schedule: nothing SQL changes after it.
    expect(calls.slice(publish + 1).filter((c) => c.startsWith('cockroach ') && !c.includes('--format=csv'))).toEqual([]);
    expect(Object.keys(node.cluster().dbs).sort()).toEqual(['hydra', 'keto', 'kratos']);
  });

  it('leaves it pending when a step fails (the cluster never answers)', () => {
    const node = bootedNode();
    node.makeClusterUnavailable('always');
    expect(node.runBootstrap().status).not.toBe(0);
    expect(node.ssmParameter(BOOTSTRAP_STATUS_PARAMETER)).toEqual({ value: BOOTSTRAP_PENDING_VALUE, version: 1 });
    expect(node.calls().some((c) => c.startsWith('aws ssm put-parameter'))).toBe(false);
  });

  it('a second bootstrap (a replaced node 1) publishes again: still complete', () => {
    const node = bootedNode();
    node.runBootstrap();
    expect(node.runBootstrap().status).toBe(0);
    expect(node.ssmParameter(BOOTSTRAP_STATUS_PARAMETER)).toMatchObject({ value: expect.stringMatching(/^complete /), version: 3 });
  });

  it('names the parameter in node 1\'s node.env only', () => {
    expect(readOnlyBootedNode().read('/etc/cockroach/node.env')).toContain(`BOOTSTRAP_STATUS_PARAMETER='${BOOTSTRAP_STATUS_PARAMETER}'`);
    expect(readOnlyBootedNode(NODE_2).read('/etc/cockroach/node.env')).not.toContain('BOOTSTRAP_STATUS_PARAMETER');
  });
});

describe('root client certificate on every node (admin commands: drain, the roll, restores)', () => {
  it.each([1, 2, 3])('node %i keeps it in /root/.cockroach-certs (the cockroach CLI default for root): dir 0700, key 0600', (n) => {
    const node = readOnlyBootedNode(n === 1 ? {} : { nodeNumber: n, bootstrap: undefined });
    expect(node.read('/root/.cockroach-certs/client.root.key')).toBe('ROOT KEY\n');
    expect(node.read('/root/.cockroach-certs/client.root.crt')).toBe('ROOT CERT\n');
    expect(node.mode('/root/.cockroach-certs/client.root.key')).toBe('600');
    expect(node.mode('/root/.cockroach-certs')).toBe('700');
    expect(node.calls()).toContain(`chown root:root ${node.path('/root/.cockroach-certs')}`);
  });
});

describe('timers: certificates refreshed hourly, metrics every 5 minutes', () => {
  it('installs both timers (a oneshot service and its timer each) and enables them on every node', () => {
    const node = readOnlyBootedNode(NODE_2);
    expect(node.read('/etc/systemd/system/cockroach-cert-refresh.service')).toContain('ExecStart=/usr/local/lib/cockroach/refresh-certs.sh /etc/cockroach/node.env');
    expect(node.read('/etc/systemd/system/cockroach-cert-refresh.timer')).toContain('OnUnitActiveSec=1h');
    expect(node.read('/etc/systemd/system/cockroach-metrics.service')).toContain('ExecStart=/usr/local/lib/cockroach/publish-metrics.sh /etc/cockroach/node.env');
    expect(node.read('/etc/systemd/system/cockroach-metrics.timer')).toContain('OnUnitActiveSec=5min');
    expect(node.calls()).toContain('systemctl enable --now cockroach-cert-refresh.timer cockroach-metrics.timer');
  });
});

describe('refresh-certs.sh: renewed certificates reach the running node', () => {
  it('changes nothing and sends no signal while the secrets are unchanged', () => {
    const node = bootedNode();
    const before = node.snapshot();
    const result = node.runRefreshCerts();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('certificates unchanged');
    expect(node.snapshot()).toEqual(before);
    expect(node.calls()).not.toContain('systemctl reload cockroach.service');
  });

  it('rewrites a renewed node certificate and key and makes cockroach re-read them (SIGHUP through systemctl reload)', () => {
    const node = bootedNode();
    node.putSecret(NODE_SECRET, { 'ca.crt': 'CA CERT', 'node.crt': 'RENEWED NODE CERT', 'node.key': 'RENEWED NODE KEY' });
    const result = node.runRefreshCerts();
    expect(result.status).toBe(0);
    expect(node.read('/var/lib/cockroach/certs/node.crt')).toBe('RENEWED NODE CERT\n');
    expect(node.read('/var/lib/cockroach/certs/node.key')).toBe('RENEWED NODE KEY\n');
    expect(node.mode('/var/lib/cockroach/certs/node.key')).toBe('600');
    expect(node.calls()).toContain('systemctl reload cockroach.service');
    expect(node.calls()).not.toContain('systemctl restart cockroach.service');
    expect(result.stderr).toContain('node certificates changed: cockroach re-read them (SIGHUP)');
  });

  it('updates a renewed root client certificate without signalling cockroach (it is only a client certificate)', () => {
    const node = bootedNode();
    node.putSecret(ROOT_SECRET, { 'ca.crt': 'CA CERT', 'client.root.crt': 'RENEWED ROOT CERT', 'client.root.key': 'ROOT KEY' });
    expect(node.runRefreshCerts().status).toBe(0);
    expect(node.read('/root/.cockroach-certs/client.root.crt')).toBe('RENEWED ROOT CERT\n');
    expect(node.calls()).not.toContain('systemctl reload cockroach.service');
  });

  it('does not start a stopped cockroach: it reads the new files when it starts', () => {
    const node = bootedNode();
    node.stopCockroach();
    node.putSecret(NODE_SECRET, { 'ca.crt': 'CA CERT', 'node.crt': 'RENEWED NODE CERT', 'node.key': 'NODE KEY' });
    const result = node.runRefreshCerts();
    expect(result.status).toBe(0);
    expect(node.calls().filter((c) => /systemctl (reload|start|restart) cockroach/.test(c))).toEqual([]);
    expect(result.stderr).toContain('cockroach is not running, it reads them when it starts');
  });

  it('fails (the timer logs it) when Secrets Manager keeps refusing, leaving the certificates as they were', () => {
    const node = bootedNode();
    node.failSecretsManager(100);
    const result = node.runRefreshCerts();
    expect(result.status).not.toBe(0);
    expect(node.read('/var/lib/cockroach/certs/node.crt')).toBe('NODE CERT\n');
  });
});

/** This file's RSA 2048 key (what the cockroach-pki stack's PrivateKey resources use), generated once: every certificate below is signed with it. */
let certificateKeyDir: string | undefined;
function certificateKey(): string {
  if (certificateKeyDir === undefined) {
    certificateKeyDir = mkdtempSync(join(tmpdir(), 'crdb-ory-cert-key-'));
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(certificateKeyDir, 'key.pem')], { stdio: 'ignore' });
  }
  return join(certificateKeyDir, 'key.pem');
}
afterAll(() => {
  if (certificateKeyDir !== undefined) rmSync(certificateKeyDir, { recursive: true, force: true });
});

/**
 * A real self-signed certificate (openssl, PEM) that expires in `days`. The scripts read only
 * its dates, so each certificate need not have a key of its own: one RSA key generation costs
 * about 0.2 CPU-s, a signature with an existing key a few milliseconds.
 */
function selfSignedCertificate(commonName: string, days: number): string {
  return execFileSync('openssl', ['req', '-x509', '-new', '-key', certificateKey(), '-subj', `/CN=${commonName}`, '-days', String(days)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** Real certificates (openssl) that expire in `days`, in place of the stub's placeholders. */
function withRealCertificates(node: NodeSandbox, days: { ca: number; node: number; root: number }): void {
  const ca = selfSignedCertificate('ca', days.ca);
  node.putSecret(NODE_SECRET, { 'ca.crt': ca, 'node.crt': selfSignedCertificate('node', days.node), 'node.key': 'NODE KEY' });
  node.putSecret(ROOT_SECRET, { 'ca.crt': ca, 'client.root.crt': selfSignedCertificate('root', days.root), 'client.root.key': 'ROOT KEY' });
}

describe('publish-metrics.sh: free space and days to certificate expiry, to CloudWatch', () => {
  it('publishes the data volume free percentage and the days left on the first certificate to expire, per node', () => {
    const node = new NodeSandbox();
    withRealCertificates(node, { ca: 3650, node: 12, root: 300 });
    bootedNode({ nodeNumber: 2, bootstrap: undefined }, node);
    const result = node.runMetrics({ availableBytes: 250, sizeBytes: 1000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [call] = node.metrics();
    expect(call).toMatchObject({ region: 'us-east-1', namespace: 'CrdbOry/CockroachDB' });
    const byName = Object.fromEntries(call.metricData.map((m) => [m.MetricName, m]));
    expect(byName['DataVolumeFreePercent']).toMatchObject({ Value: 25, Unit: 'Percent' });
    assert.exists(byName['DataVolumeFreePercent'], 'a DataVolumeFreePercent datum');
    assert.exists(byName['CertificateDaysToExpiry'], 'a CertificateDaysToExpiry datum');
    expect(byName['CertificateDaysToExpiry'].Value).toBeGreaterThan(11.9);
    expect(byName['CertificateDaysToExpiry'].Value).toBeLessThanOrEqual(12);
    for (const metric of [byName['DataVolumeFreePercent'], byName['CertificateDaysToExpiry']]) expect(metric.Dimensions).toEqual([{ Name: 'ClusterName', Value: 'crdb-ory' }, { Name: 'Node', Value: 'node-2' }]);
    expect(node.calls()).toContain(`df --output=avail,size -B1 ${node.path('/var/lib/cockroach/data')}`);
  });

  it('counts the root client certificate too: the first of the three to expire', () => {
    const node = new NodeSandbox();
    withRealCertificates(node, { ca: 3650, node: 365, root: 3 });
    bootedNode({}, node);
    expect(node.runMetrics({ availableBytes: 900, sizeBytes: 1000 }).status).toBe(0);
    const days = datum(callAt(node.metrics(), 0), 'CertificateDaysToExpiry').Value;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThanOrEqual(3);
  });

  it('publishes no free space and fails when it cannot be read (its alarm then sees missing data), the other metrics still', () => {
    const node = new NodeSandbox();
    withRealCertificates(node, { ca: 3650, node: 30, root: 30 });
    bootedNode({}, node);
    const result = node.runMetrics({ availableBytes: 0, sizeBytes: 0 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('cannot read the free space of /var/lib/cockroach/data');
    const names = node.metrics().flatMap((call) => call.metricData.map((m) => m.MetricName));
    expect(names).not.toContain('DataVolumeFreePercent');
    expect(names).toContain('CertificateDaysToExpiry');
  });
});

describe('bootstrap.sh: the backup schedule', () => {
  const CLUSTER_ID = '6b5e2f4c-9d1a-4c3e-8f00-1a2b3c4d5e6f';

  it('creates the schedule pair (full @daily, incremental @hourly, revision_history) into this cluster\'s own collection, with the instance role (AUTH=implicit)', () => {
    const node = bootedNode();
    const result = node.runBootstrap();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`backup schedule crdb_ory_backup created (collection of cluster ${CLUSTER_ID})`);
    const uri = `s3://${BACKUP_BUCKET}/clusters/${CLUSTER_ID}?AUTH=implicit&AWS_REGION=us-east-1`;
    expect(node.cluster().schedules).toEqual([
      { id: '1001', label: 'crdb_ory_backup', backupType: 'FULL', recurrence: '@daily', uri, revisionHistory: 'true', updatesLastBackupMetric: true },
      { id: '1002', label: 'crdb_ory_backup', backupType: 'INCREMENTAL', recurrence: '@hourly', uri, revisionHistory: 'true', updatesLastBackupMetric: true },
    ]);
  });

  it('lets the verifier see the schedule and its jobs: VIEWJOB and VIEWSYSTEMTABLE, nothing more', () => {
    const node = bootedNode();
    node.runBootstrap();
    expect(node.cluster().systemGrants).toEqual(['VIEWJOB TO verifier', 'VIEWSYSTEMTABLE TO verifier']);
  });

  it('a second bootstrap (a replaced node 1) creates no second schedule and converges the existing one', () => {
    const node = bootedNode();
    node.runBootstrap();
    const before = node.cluster().schedules;
    const again = node.runBootstrap();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('backup schedule crdb_ory_backup (1001) converged to the configured cadence');
    expect(node.cluster().schedules).toEqual(before);
  });

  it('a changed cadence reaches the existing schedule pair on the next bootstrap (ALTER BACKUP SCHEDULE), in the same collection', () => {
    const node = bootedNode();
    node.runBootstrap();
    const changed = { ...DEFAULT_BACKUP_SCHEDULE, fullBackupCrontab: '@weekly', incrementalCrontab: '15 */4 * * *', revisionHistory: false };
    node.replaceInstance();
    node.attachVolume();
    node.runUserData(node.settings({ bootstrap: { ...bootstrapOf(node), backupSchedule: { ...BACKUP_SCHEDULE_FILES, alterSql: renderAlterBackupScheduleSql(changed) } } }));
    expect(node.runBootstrap().status).toBe(0);
    const schedules = node.cluster().schedules;
    expect(schedules.map((s: { recurrence: string; revisionHistory: string }) => [s.recurrence, s.revisionHistory])).toEqual([['@weekly', 'false'], ['15 */4 * * *', 'false']]);
    expect(new Set(schedules.map((s: { uri: string }) => s.uri)).size).toBe(1);
  });

  it('without a schedule (backups off) warns and grants the verifier nothing extra', () => {
    const node = bootedNode({ bootstrap: { ...bootstrapOf(new NodeSandbox()), backupSchedule: undefined, sql: bootstrapOf(new NodeSandbox()).sql.replace(/GRANT SYSTEM .*\n/g, '') } });
    const result = node.runBootstrap();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('WARNING: no backup schedule configured; nothing backs this cluster up');
    expect(node.cluster().schedules).toEqual([]);
    expect(node.cluster().systemGrants).toEqual([]);
  });
});

describe("publish-metrics.sh: CockroachDB's own backup signals, to the backup alarms", () => {
  const NOW = (): number => Math.floor(Date.now() / 1000);
  const alarms = Template.fromJSON(synthBackup()).findResources('aws_cloudwatch_metric_alarm');
  const alarm = (name: string): Json => {
    const found = Object.values(alarms).find((a) => a.alarm_name === name);
    assert.exists(found, `the alarm ${name}`);
    return found;
  };
  const FAILED = 'crdb-ory-cockroach-backup-failed';
  const NO_RECENT = 'crdb-ory-cockroach-no-recent-backup';

  /** Node 1 after its bootstrap: the schedule pair exists; no job has run yet. */
  function scheduledNode(): NodeSandbox {
    const node = new NodeSandbox();
    withRealCertificates(node, { ca: 3650, node: 365, root: 365 });
    bootedNode({}, node);
    expect(node.runBootstrap().status).toBe(0);
    return node;
  }

  it('a scheduled backup job writes its lock and checkpoint files and then fails: both alarms breach, though the bucket got new objects', () => {
    const node = scheduledNode();
    node.runScheduledBackup('fails');
    const written = node.s3Keys(BACKUP_BUCKET);
    // What the S3 request-count alarm counted: objects written under the collection by a job that failed.
    expect(written.some((key) => /^clusters\/[0-9a-f-]{36}\/\d{4}\/\d{2}\/\d{2}-\d{6}\.00\/BACKUP-LOCK-\d+$/.test(key))).toBe(true);
    expect(written.some((key) => key.includes('/progress/BACKUP-CHECKPOINT-'))).toBe(true);
    const result = node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const published = node.metrics();
    expect(callAt(published, 0).metricData).toContainEqual({ MetricName: 'BackupScheduleFailures', Unit: 'Count', Value: 1, Dimensions: [{ Name: 'ClusterName', Value: 'crdb-ory' }] });
    expect(evaluateAlarm(alarm(FAILED), published)).toBe('ALARM');
    // No backup ever completed: no node publishes an age, and missing data breaches.
    expect(evaluateAlarm(alarm(NO_RECENT), published)).toBe('ALARM');
  });

  it('a completed backup keeps both alarms OK; failing for hours after one breaches both', () => {
    const node = scheduledNode();
    node.runScheduledBackup('succeeds', NOW() - 1800);
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    const healthy = node.metrics();
    expect(datum(callAt(healthy, 0), 'LastCompletedBackupAgeHours').Value).toBeCloseTo(0.5, 1);
    expect(evaluateAlarm(alarm(FAILED), healthy)).toBe('OK');
    expect(evaluateAlarm(alarm(NO_RECENT), healthy)).toBe('OK');

    // Later: the last backup that completed ended 5 hours ago, and the next one fails.
    const other = scheduledNode();
    other.runScheduledBackup('succeeds', NOW() - 5 * 3600);
    other.runScheduledBackup('fails');
    other.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    const stale = other.metrics();
    expect(datum(callAt(stale, 0), 'LastCompletedBackupAgeHours').Value).toBeCloseTo(5, 1);
    expect(evaluateAlarm(alarm(FAILED), stale)).toBe('ALARM');
    expect(evaluateAlarm(alarm(NO_RECENT), stale)).toBe('ALARM');
  });

  it('the freshest backup of any node counts: an old one on this node does not breach while another node reports a recent one', () => {
    const node = scheduledNode();
    node.runScheduledBackup('succeeds', NOW() - 5 * 3600, 1);
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    const node1 = node.metrics();
    expect(evaluateAlarm(alarm(NO_RECENT), node1)).toBe('ALARM');
    // Another node completed the latest one (jobs run on any node); what it publishes is in the same metric.
    const node2 = [{ namespace: 'CrdbOry/CockroachDB', metricData: [{ MetricName: 'LastCompletedBackupAgeHours', Value: 0.7, Dimensions: [{ Name: 'ClusterName', Value: 'crdb-ory' }] }] }];
    expect(evaluateAlarm(alarm(NO_RECENT), [...node1, ...node2])).toBe('OK');
  });

  it('counts each failure once (the increase since the last run), and a restarted cockroach (its counter back at 0) as no failure', () => {
    const node = scheduledNode();
    node.runScheduledBackup('fails');
    node.runScheduledBackup('fails');
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    node.restartCockroachProcess();
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    node.runScheduledBackup('fails');
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    const failures = node.metrics().map((call) => datum(call, 'BackupScheduleFailures').Value);
    expect(failures).toEqual([2, 0, 0, 1]);
  });

  it('publishes no age while this node has completed no backup (the gauge is 0 after a start)', () => {
    const node = scheduledNode();
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(callAt(node.metrics(), 0).metricData.map((m) => m.MetricName)).not.toContain('LastCompletedBackupAgeHours');
  });

  it('a schedule pair created without updates_cluster_last_backup_time_metric never moves the gauge; the next bootstrap converges it and then it does', () => {
    const node = bootedNode();
    // A pair as an earlier version of the bootstrap created it.
    node.runBootstrap();
    const cluster = node.cluster();
    for (const schedule of cluster.schedules) schedule.updatesLastBackupMetric = false;
    writeFileSync(join(node.state, 'cluster.json'), JSON.stringify(cluster));
    node.runScheduledBackup('succeeds', NOW() - 600);
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(callAt(node.metrics(), 0).metricData.map((m) => m.MetricName)).not.toContain('LastCompletedBackupAgeHours');
    expect(node.runBootstrap().status).toBe(0);
    expect(node.cluster().schedules.map((s: { updatesLastBackupMetric: boolean }) => s.updatesLastBackupMetric)).toEqual([true, true]);
    node.runScheduledBackup('succeeds', NOW() - 600);
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(callAt(node.metrics(), 1).metricData.map((m) => m.MetricName)).toContain('LastCompletedBackupAgeHours');
  });

  it("reads the node's Prometheus endpoint over HTTPS, verifying its certificate against ca.crt", () => {
    const node = scheduledNode();
    node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(node.calls()).toContain(`curl -fsS --max-time 20 --cacert ${node.path('/var/lib/cockroach/certs/ca.crt')} https://localhost:8080/_status/vars`);
  });

  it('publishes the node metrics and fails, naming it, when cockroach does not answer: the no-recent-backup alarm then sees missing data', () => {
    const node = scheduledNode();
    node.makeClusterUnavailable('always');
    const result = node.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('cannot read https://localhost:8080/_status/vars: no backup metrics published');
    expect(callAt(node.metrics(), 0).metricData.map((m) => m.MetricName)).toEqual(['DataVolumeFreePercent', 'CertificateDaysToExpiry']);
    expect(evaluateAlarm(alarm(NO_RECENT), node.metrics())).toBe('ALARM');
  });
});

describe('publish-metrics.sh: the certificates Ory presents (what the ory stack records after each rollout)', () => {
  const certificate = (days: number): string => `${selfSignedCertificate('x', days)}\n`;
  function node(): NodeSandbox {
    const sandbox = new NodeSandbox();
    withRealCertificates(sandbox, { ca: 3650, node: 365, root: 365 });
    return bootedNode({ nodeNumber: 2, bootstrap: undefined }, sandbox);
  }
  const oryDays = (sandbox: NodeSandbox): Record<string, number> =>
    Object.fromEntries(
      callAt(sandbox.metrics(), 0).metricData.filter((m) => m.MetricName === 'OryCertificateDaysToExpiry').map((m) => {
        expect(m.Dimensions.map((d) => d.Name)).toEqual(['ClusterName', 'Service']);
        expect(m.Dimensions[0].Value).toBe('crdb-ory');
        return [m.Dimensions[1].Value, m.Value];
      }),
    );

  it('publishes, per service, the days left on the first of its certificates (CA or client) to expire, with the cluster and service dimensions', () => {
    const sandbox = node();
    const ca = certificate(3650);
    sandbox.putSsmParameter(`${ORY_CERTIFICATES_PATH}/hydra`, `${ca}\n${certificate(12)}`);
    sandbox.putSsmParameter(`${ORY_CERTIFICATES_PATH}/kratos`, `${certificate(200)}\n${certificate(365)}`);
    const result = sandbox.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(result.stderr).toBe('');
    const days = oryDays(sandbox);
    expect(Object.keys(days).sort()).toEqual(['hydra', 'kratos']);
    expect(days['hydra']).toBeGreaterThan(11.9);
    expect(days['hydra']).toBeLessThanOrEqual(12);
    expect(days['kratos']).toBeGreaterThan(199.9);
    expect(days['kratos']).toBeLessThanOrEqual(200);
    expect(sandbox.calls()).toContain(`aws ssm get-parameters-by-path --region us-east-1 --path ${ORY_CERTIFICATES_PATH} --output json`);
  });

  it('publishes nothing for Ory before the ory stack recorded any, and is not failing for it', () => {
    const sandbox = node();
    const result = sandbox.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(result.status).toBe(0);
    expect(oryDays(sandbox)).toEqual({});
  });

  it('fails, naming the parameter, when a record holds no certificate', () => {
    const sandbox = node();
    sandbox.putSsmParameter(`${ORY_CERTIFICATES_PATH}/keto`, 'not a certificate');
    const result = sandbox.runMetrics({ availableBytes: 900, sizeBytes: 1000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`parameter ${ORY_CERTIFICATES_PATH}/keto holds no certificate`);
  });
});

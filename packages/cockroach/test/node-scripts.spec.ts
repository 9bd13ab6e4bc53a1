import { describe, expect, it } from 'vitest';
import { renderUserData } from '../src';
import { LICENSE_SECRET, NODE_SECRET, NodeSandbox, ROOT_SECRET, VOLUME_ID } from './node-sandbox';

const DEVICE = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace('-', '')}`;

function bootedNode(overrides = {}, node = new NodeSandbox()): NodeSandbox {
  node.attachVolume();
  const result = node.runUserData(node.settings(overrides));
  expect(result.stderr).toMatch(/node \d is configured/);
  expect(result.status).toBe(0);
  return node;
}

describe('boot.sh (run for real against stubs)', () => {
  it('installs the pinned release after checking its SHA-256', () => {
    const node = bootedNode();
    expect(node.read('/usr/local/bin/cockroach')).toContain('fake cockroach');
    expect(node.mode('/usr/local/bin/cockroach')).toBe('755');
    expect(node.calls()).toContain('curl -fsSL -o ' + node.calls().find((c) => c.startsWith('curl'))!.split(' ')[3] + ' https://binaries.cockroachdb.com/cockroach-v25.4.0.linux-amd64.tgz');
  });

  it('installs the spatial libraries where CockroachDB looks for them (/usr/local/lib/cockroach), not in a subfolder', () => {
    const node = bootedNode();
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
    const node = bootedNode();
    expect(node.read('/etc/chrony.conf')).toContain('server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4');
    expect(node.calls()).toEqual(expect.arrayContaining(['systemctl enable chronyd', 'systemctl restart chronyd', 'chronyc waitsync 1 0.1']));
  });

  it('formats a blank data volume (found by its EBS volume id), mounts it through fstab as the store', () => {
    const node = bootedNode();
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
    const node = bootedNode();
    expect(node.read('/var/lib/cockroach/certs/node.key')).toBe('NODE KEY\n');
    expect(node.read('/var/lib/cockroach/certs/node.crt')).toBe('NODE CERT\n');
    expect(node.read('/var/lib/cockroach/certs/ca.crt')).toBe('CA CERT\n');
    expect(node.mode('/var/lib/cockroach/certs/node.key')).toBe('600');
    expect(node.mode('/var/lib/cockroach/certs/node.crt')).toBe('644');
    expect(node.mode('/var/lib/cockroach/certs')).toBe('700');
    expect(node.calls().filter((c) => c.startsWith('chown') && c.includes('/certs/')).every((c) => c.startsWith('chown cockroach:cockroach'))).toBe(true);
    expect(node.calls().filter((c) => c.startsWith('aws')).some((c) => c.includes('client-root'))).toBe(false);
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
    const unit = bootedNode().read('/etc/systemd/system/cockroach.service');
    const execStart = unit.split('\n').find((l) => l.startsWith('ExecStart='))!;
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
    for (const line of ['Type=notify', 'User=cockroach', 'TimeoutStopSec=300', 'Restart=always', 'ExecReload=/bin/kill -HUP $MAINPID', 'RequiresMountsFor=/var/lib/cockroach/data']) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(Number(/^LimitNOFILE=(\d+)$/m.exec(unit)![1])).toBeGreaterThanOrEqual(15000);
  });

  it('starts cockroach on every node, and the bootstrap unit on node 1 only', () => {
    const first = bootedNode();
    expect(first.calls()).toEqual(expect.arrayContaining(['systemctl enable --now cockroach.service', 'systemctl enable --now --no-block cockroach-bootstrap.service']));
    expect(first.read('/etc/systemd/system/cockroach-bootstrap.service')).toContain('ExecStart=/usr/local/lib/cockroach/bootstrap.sh /etc/cockroach/node.env');
    const second = bootedNode({ nodeNumber: 2, bootstrap: undefined });
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
    expect(node.calls()).toContain(`curl -fsSL -o ${node.calls().filter((c) => c.startsWith('curl')).at(-1)!.split(' ')[3]} https://binaries.cockroachdb.com/cockroach-v25.4.1.linux-amd64.tgz`);
  });

  it('node 1 runs bootstrap again: already initialized is success and the cluster is unchanged', () => {
    const { node } = replacedNode1();
    const before = node.cluster();
    const again = node.runBootstrap();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('cluster was already initialized');
    expect(again.stderr).toContain('bootstrap complete');
    expect(node.cluster()).toEqual(before);
    expect(node.read('/root/.cockroach-bootstrap/certs/client.root.key')).toBe('ROOT KEY\n');
  });
});

describe('user data size', () => {
  it('stays under the 16 KB EC2 limit on node 1 (bootstrap SQL and license included)', () => {
    const node = new NodeSandbox();
    const text = renderUserData(node.settings({ bootstrap: { ...node.settings().bootstrap!, licenseSecretArn: LICENSE_SECRET } }));
    expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
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
    expect(cluster.databases).toEqual(['hydra', 'keto', 'kratos']);
    expect(cluster.users).toEqual(['hydra', 'keto', 'kratos', 'verifier']);
    const allGrants = cluster.grants.filter((g: string) => g.startsWith('ALL'));
    expect(allGrants).toEqual(['ALL ON DATABASE hydra TO hydra', 'ALL ON DATABASE keto TO keto', 'ALL ON DATABASE kratos TO kratos']);
    expect(cluster.grants.filter((g: string) => g.includes('TO verifier') && !g.startsWith('CONNECT') && !g.startsWith('SELECT'))).toEqual([]);
    expect(cluster.defaultPrivileges).toEqual([
      'hydra: tables of hydra -> SELECT for verifier',
      'keto: tables of keto -> SELECT for verifier',
      'kratos: tables of kratos -> SELECT for verifier',
    ]);
    expect(cluster.settings).toEqual({});
  });

  it('talks to the node itself, with root client certificates it fetched into a root-only dir', () => {
    const node = bootedNode();
    node.runBootstrap();
    const cockroachCalls = node.calls().filter((c) => c.startsWith('cockroach '));
    expect(cockroachCalls.length).toBeGreaterThan(0);
    for (const call of cockroachCalls) expect(call).toContain('--host=10.10.10.10:26257');
    expect(node.read('/root/.cockroach-bootstrap/certs/client.root.key')).toBe('ROOT KEY\n');
    expect(node.mode('/root/.cockroach-bootstrap/certs/client.root.key')).toBe('600');
    expect(node.mode('/root/.cockroach-bootstrap/certs')).toBe('700');
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
    expect(node.cluster().databases).toEqual(['hydra', 'keto', 'kratos']);
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
    const node = bootedNode({ bootstrap: { ...new NodeSandbox().settings().bootstrap!, licenseSecretArn: LICENSE_SECRET } });
    node.putSecret(LICENSE_SECRET, 'crl-0-ChB1bmlxdWUta2V5LWZvci10ZXN0');
    const result = node.runBootstrap();
    expect(result.status).toBe(0);
    expect(node.cluster().settings).toEqual({ 'enterprise.license': 'crl-0-ChB1bmlxdWUta2V5LWZvci10ZXN0' });
    expect(node.calls().join('\n')).not.toContain('crl-0-');
  });

  it('refuses a license secret that is not a license key, before any SQL', () => {
    const node = bootedNode({ bootstrap: { ...new NodeSandbox().settings().bootstrap!, licenseSecretArn: LICENSE_SECRET } });
    node.putSecret(LICENSE_SECRET, "x'; DROP DATABASE hydra; --");
    const result = node.runBootstrap();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`license secret ${LICENSE_SECRET} does not hold a CockroachDB license key`);
    expect(node.cluster().databases).toContain('hydra');
    expect(node.cluster().settings).toEqual({});
  });
});

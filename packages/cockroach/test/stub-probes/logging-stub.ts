import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { StubSandbox } from '../stub-sandbox';
import { Probe, cluster } from './support';

const host = (s: StubSandbox, command: string, ...args: string[]) => s.run(command, args, { env: { STUB_REAL_JQ: '/bin/true' } });

export const LOGGING_STUB_PROBES: Record<string, Probe> = {
  'host.blkid-no-filesystem': (s) => {
    expect(host(s, 'blkid', '/dev/nvme1n1').status).toBe(2);
    s.write('formatted', '');
    expect(host(s, 'blkid', '/dev/nvme1n1').status).toBe(0);
  },
  'host.curl-download': (s) => {
    s.write('release.tgz', 'TARBALL');
    expect(host(s, 'curl', '-fsSL', '-o', join(s.dir, 'out.tgz'), 'https://binaries.cockroachdb.com/x.tgz').status).toBe(0);
    expect(readFileSync(join(s.dir, 'out.tgz'), 'utf8')).toBe('TARBALL');
  },
  'host.curl-health-ready': (s) => {
    cluster(s);
    expect(host(s, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', 'http://localhost:8080/health?ready=1').stdout).toBe('200');
  },
  'host.curl-status-vars': (s) => {
    cluster(s);
    const vars = host(s, 'curl', '-fsS', '--max-time', '20', '--cacert', '/x/ca.crt', 'https://localhost:8080/_status/vars');
    expect(vars.status).toBe(0);
    expect(vars.stdout).toContain('schedules_BACKUP_failed{node_id="1"} 0');
    s.write('cockroach-unavailable', 'always');
    expect(host(s, 'curl', '-fsS', '--max-time', '20', '--cacert', '/x/ca.crt', 'https://localhost:8080/_status/vars').status).not.toBe(0);
  },
  'host.df-output-bytes': (s) => {
    s.write('df', '250 1000');
    expect(host(s, 'df', '--output=avail,size', '-B1', '/var/lib/cockroach/data').stdout.split('\n')[1]).toBe('250 1000');
  },
  'host.dnf-install': (s) => {
    expect(host(s, 'dnf', 'install', '-y', 'jq').status).toBe(0);
    expect(s.run('jq', ['--version']).status).toBe(0);
  },
  'host.dnf-metadata-failure': (s) => {
    s.write('dnf-failures', '1');
    const failed = host(s, 'dnf', 'install', '-y', 'jq');
    expect([failed.status, failed.stderr]).toEqual([1, "Error: Failed to download metadata for repo 'amazonlinux'\n"]);
    expect(host(s, 'dnf', 'install', '-y', 'jq').status).toBe(0);
  },
  'host.exit-zero': (s) => {
    expect([host(s, 'chronyc', 'waitsync', '1', '0.1').status, host(s, 'systemctl', 'daemon-reload').status, host(s, 'chown', 'a:a', '/x').status]).toEqual([0, 0, 0]);
  },
  'host.id-user-exists': (s) => {
    expect(host(s, 'id', '-u', 'cockroach').status).not.toBe(0);
    s.write('user-cockroach', '');
    expect(host(s, 'id', '-u', 'cockroach').status).toBe(0);
  },
  'host.mkfs-xfs': (s) => {
    expect(host(s, 'mkfs.xfs', '/dev/nvme1n1').status).toBe(0);
    expect(host(s, 'blkid', '/dev/nvme1n1').status).toBe(0);
  },
  'host.mount-fstab': (s) => {
    expect(host(s, 'mount', '/var/lib/cockroach/data').status).toBe(0);
    expect(host(s, 'mountpoint', '-q', '/var/lib/cockroach/data').status).toBe(0);
  },
  'host.mountpoint-quiet': (s) => {
    expect(host(s, 'mountpoint', '-q', '/var/lib/cockroach/data').status).not.toBe(0);
  },
  'host.systemctl-is-active': (s) => {
    expect(host(s, 'systemctl', 'is-active', '--quiet', 'cockroach.service').status).toBe(0);
    s.write('cockroach-inactive', '');
    expect(host(s, 'systemctl', 'is-active', '--quiet', 'cockroach.service').status).not.toBe(0);
  },
  'host.systemctl-restart-cockroach': (s) => {
    cluster(s);
    const state = s.readJson('cluster.json');
    state.nodes['1'].draining = true;
    s.writeJson('cluster.json', state);
    expect(s.run('systemctl', ['restart', 'cockroach.service'], { env: { STUB_NODE: '1' } }).status).toBe(0);
    expect(s.readJson('cluster.json').nodes['1']).toMatchObject({ status: 'starting', draining: false });
  },
  'host.useradd': (s) => {
    expect(host(s, 'useradd', '--system', 'cockroach').status).toBe(0);
    expect(host(s, 'id', '-u', 'cockroach').status).toBe(0);
  },
};


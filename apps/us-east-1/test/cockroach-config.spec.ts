import { CockroachPkiStack, CockroachStack, DEFAULT_COCKROACH_SHA256, DEFAULT_COCKROACH_VERSION } from '@crdb-ory/cockroach';
import { Testing } from 'cdktf';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { buildStacks } from '../src/stacks';
import { deployableIssueLinesOf as issueLinesOf, deployableIssuesOf as issuesOf, runMain, tempDir, withOperatorAccess } from './helpers';

describe('cockroach configuration', () => {
  it('composes the cockroach-pki and cockroach stacks from the defaults', () => {
    const app = Testing.app();
    buildStacks(app, resolveConfig(undefined));
    expect(app.node.findChild('cockroach-pki')).toBeInstanceOf(CockroachPkiStack);
    expect(app.node.findChild('cockroach')).toBeInstanceOf(CockroachStack);
  });

  it('passes the settings through to the stacks', () => {
    const app = Testing.app();
    buildStacks(app, resolveConfig(withOperatorAccess({ cockroach: { instanceType: 'r6i.2xlarge', adminCidrs: ['192.168.0.0/24'], sqlUsers: { hydra: 'hydra_app' } } })));
    const json = JSON.parse(Testing.synth(app.node.findChild('cockroach') as CockroachStack));
    expect(Object.values<any>(json.resource.aws_instance).map((i) => i.instance_type)).toEqual(['r6i.2xlarge', 'r6i.2xlarge', 'r6i.2xlarge']);
    expect(json.output.hydra_sql_user.value).toBe('hydra_app');
    expect(Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule).some((r) => r.cidr_ipv4 === '192.168.0.0/24' && r.from_port === 8080)).toBe(true);
  });

  it('refuses an Ory pool lifetime a drain would cut (cross-stack: the drain\'s connections timeout against Ory\'s max_conn_lifetime)', () => {
    expect(issuesOf({ ory: { sql: { maxConnLifetimeSeconds: 330 } } })).toEqual([
      expect.stringMatching(/^ory\.sql\.maxConnLifetimeSeconds: must be below cockroach\.drain\.connectionsTimeoutSeconds, the drain's connection phase \(server\.shutdown\.connections\.timeout, 330 s\): a pooled connection living longer is cut by every drain.*$/),
    ]);
    expect(issuesOf({ cockroach: { drain: { connectionsTimeoutSeconds: 240 } } })).toEqual([expect.stringMatching(/^ory\.sql\.maxConnLifetimeSeconds: must be below .*240 s.*$/)]);
    expect(issuesOf({ cockroach: { drain: { connectionsTimeoutSeconds: 240 } }, ory: { sql: { maxConnLifetimeSeconds: 200 } } })).toEqual([]);
    expect(issuesOf({ cockroach: { drain: { initialWaitSeconds: 10 } } })).toEqual([expect.stringMatching(/^cockroach\.drain\.initialWaitSeconds: must be whole seconds above 20 .*$/)]);
  });

  it('passes the drain settings to the cockroach stack: bootstrap, systemd stop timeout, load balancer', () => {
    const app = Testing.app();
    buildStacks(app, resolveConfig(withOperatorAccess({ cockroach: { drain: { connectionsTimeoutSeconds: 400 } } })));
    const json = JSON.parse(Testing.synth(app.node.findChild('cockroach') as CockroachStack));
    const node1Key = Object.keys(json.locals).find((key) => key.startsWith('node-1_user-data_'));
    assert.exists(node1Key, 'a node-1_user-data_ local');
    const node1 = json.locals[node1Key];
    expect(node1).toContain("SET CLUSTER SETTING server.shutdown.connections.timeout = '400s';");
    expect(node1).toContain(`STOP_TIMEOUT_SECONDS='${30 + 400 + 20 + 5 + 60}'`);
    expect(Object.values<any>(json.resource.aws_lb_target_group)[0].target_health_state[0].unhealthy_draining_interval).toBe(430);
  });

  it('names the setting, the value and what is allowed', () => {
    expect(issuesOf({ cockroach: { instanceType: 't3.xlarge' } })).toEqual([expect.stringMatching(/^cockroach\.instanceType: .*burstable types are not allowed/)]);
    expect(issueLinesOf({ cockroach: { version: 'v25.4.9' } })).toEqual([expect.stringMatching(new RegExp(`^cockroach\\.binarySha256: is the checksum of ${DEFAULT_COCKROACH_VERSION}, but cockroach\\.version is v25\\.4\\.9: .* \\(got "${DEFAULT_COCKROACH_SHA256}"\\)$`))]);
    expect(issuesOf({ cockroach: { version: 'v25.4.9', binarySha256: 'a'.repeat(64) } })).toEqual([]);
    expect(issuesOf({ cockroach: { sqlUsers: { keto: 'hydra' } } })).toEqual([expect.stringMatching(/^cockroach\.sqlUsers: .*four distinct names/)]);
    expect(issueLinesOf({ cockroach: { certificates: { earlyRenewalHours: 9000 } } })).toEqual(['cockroach.certificates.earlyRenewalHours: must be below cockroach.certificates.nodeValidityHours (8760) (got 9000)', 'cockroach.certificates.earlyRenewalHours: must be below cockroach.certificates.clientValidityHours (8760) (got 9000)']);
    expect(issuesOf({ cockroach: { dataVolume: { sizeGiB: 10 } } })).toEqual([expect.stringMatching(/^cockroach\.dataVolume\.iops: exceeds 500 per GiB/)]);
    expect(issueLinesOf({ cockroach: { licenseSecretArn: 'crl-0-abc' } })).toEqual([expect.stringMatching(/^cockroach\.licenseSecretArn: allowed is a Secrets Manager secret ARN.* \(got "crl-0-abc"\)$/)]);
    expect(issueLinesOf({ cockroach: { binarySha256: 'xyz' } })).toEqual([expect.stringMatching(/^cockroach\.binarySha256: allowed is 64 lowercase hex digits.* \(got "xyz"\)$/)]);
    expect(DEFAULT_COCKROACH_SHA256).toHaveLength(64);
  });

  it('rejects instance types that fail at boot (Xen: no NVMe EBS) or at scale (c: 2 GiB per vCPU) as config errors', () => {
    expect(issueLinesOf({ cockroach: { instanceType: 'm4.2xlarge' } })).toEqual([expect.stringMatching(/^cockroach\.instanceType: m4 runs on the Xen hypervisor.* \(got "m4\.2xlarge"\)$/)]);
    expect(issuesOf({ cockroach: { instanceType: 'i3.2xlarge' } })).toEqual([expect.stringMatching(/^cockroach\.instanceType: .*Xen hypervisor/)]);
    expect(issuesOf({ cockroach: { instanceType: 'c6i.4xlarge' } })).toEqual([expect.stringMatching(/^cockroach\.instanceType: .*c family has 2 GiB of RAM per vCPU/)]);
  });

  it('rejects an admin CIDR open to the internet as a config error naming the setting', () => {
    expect(issueLinesOf({ cockroach: { adminCidrs: ['192.168.0.0/24', '0.0.0.0/0'] } })).toEqual([
      'cockroach.adminCidrs[1]: the DB Console is never open to the internet; allowed are private networks of /8 or smaller (got "0.0.0.0/0")',
    ]);
  });

  it('limits namePrefix to the longest AWS name built from it (the 32-character target group <prefix>-sql-nodes)', () => {
    expect(issuesOf({ namePrefix: 'a'.repeat(22) })).toEqual([]);
    // One rule, one message, whatever is wrong: the library's (the schema no longer says "3-32").
    for (const prefix of ['a'.repeat(23), 'Crdb', 'ab', 'crdb-']) {
      expect(issueLinesOf({ namePrefix: prefix })).toEqual([`namePrefix: allowed are 3-22 characters of a-z, 0-9 and "-", starting with a letter and ending with a letter or digit (the target group name "<prefix>-sql-nodes" is limited to 32 characters) (got "${prefix}")`]);
    }
  });

  it('takes the certificate secret readers and recovery window, and rejects what cannot work', () => {
    const reader = 'arn:aws:iam::123456789012:role/ci-deployer';
    const app = Testing.app();
    buildStacks(app, resolveConfig(withOperatorAccess({ cockroach: { secretReaderArns: [reader], secretRecoveryWindowDays: 0 } })));
    const pki = JSON.parse(Testing.synth(app.node.findChild('cockroach-pki') as CockroachPkiStack));
    expect(Object.values<any>(pki.resource.aws_secretsmanager_secret).map((secret) => secret.recovery_window_in_days)).toEqual(Array(8).fill(0));
    expect(Object.values<any>(pki.resource.aws_secretsmanager_secret_policy).every((policy) => policy.policy.includes(`"${reader}"`))).toBe(true);
    expect(issueLinesOf({ cockroach: { secretRecoveryWindowDays: 3 } })).toEqual([expect.stringMatching(/^cockroach\.secretRecoveryWindowDays: allowed: 0 \(delete at once, no restore\) or a whole number of days from 7 to 30/)]);
    expect(issueLinesOf({ cockroach: { secretReaderArns: ['arn:aws:iam::123456789012:role/*'] } })).toEqual([expect.stringMatching(/^cockroach\.secretReaderArns\[0\]: is every role of the account; .* \(got "arn:aws:iam::123456789012:role\/\*"\)$/)]);
  });

  it('the app exits 2 with the setting path (not a construct error, exit 1) for an internet admin CIDR and a long namePrefix', () => {
    for (const config of [{ cockroach: { adminCidrs: ['0.0.0.0/0'] } }, { namePrefix: 'a'.repeat(23) }]) {
      const outdir = join(tempDir('main'), 'cdktf.out');
      const result = runMain(config, outdir);
      expect(result.stderr).toMatch(/Invalid configuration[\s\S]*(cockroach\.adminCidrs\[0\]|namePrefix): /);
      expect(result.status).toBe(2);
      expect(existsSync(outdir)).toBe(false);
    }
  }, 60_000);
});

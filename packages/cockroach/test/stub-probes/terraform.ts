import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { StubSandbox } from '../stub-sandbox';
import { Probe, cluster } from './support';

const NODES = [1, 2, 3];
const name = (n: number, role: string) => `node-${n}_${role}_0000000${n}`;
const INSTANCE = (n: number) => `aws_instance.${name(n, 'instance')}`;
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/crdb-ory-sql-nodes/0123456789abcdef';
const settings = (version: string) => ({ cockroach_version: version });

/** A stack directory with the node resources the stub reads (names as cdktf derives them) and an alarm reading node 1's instance id. */
function stack(s: StubSandbox, world: Record<string, unknown> = {}): string {
  const dir = join(s.dir, 'stack');
  mkdirSync(dir, { recursive: true });
  const resource: Record<string, Record<string, unknown>> = { aws_instance: {}, terraform_data: {}, aws_volume_attachment: {}, aws_lb_target_group_attachment: {}, aws_cloudwatch_metric_alarm: {} };
  for (const n of NODES) {
    resource['aws_instance']![name(n, 'instance')] = {};
    resource['terraform_data']![name(n, 'settings')] = {};
    resource['terraform_data']![name(n, 'running-settings')] = {};
    resource['aws_volume_attachment']![name(n, 'data-attachment')] = {};
    resource['aws_lb_target_group_attachment']![name(n, 'target')] = {};
  }
  resource['aws_cloudwatch_metric_alarm']!['node-1_status'] = { dimensions: { InstanceId: `\${${INSTANCE(1)}.id}` } };
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource }));
  s.writeJson('terraform.json', {
    wanted: settings('v25.4.1'),
    running: { 1: settings('v25.4.0'), 2: settings('v25.4.1'), 3: settings('v25.4.1') },
    instances: { 1: 'i-1', 2: 'i-2', 3: 'i-3' },
    ips: ['10.10.10.10', '10.10.11.10', '10.10.12.10'],
    rootClientSecretArn: 'arn:secret',
    backupBucketName: 'bucket',
    targetGroupArn: TARGET_GROUP,
    dependents: {},
    counter: 3,
    ...world,
  });
  s.writeJson('instances.json', { 'i-1': 1, 'i-2': 2, 'i-3': 3 });
  return dir;
}
const tf = (s: StubSandbox, dir: string, ...args: string[]) => s.run('terraform', [`-chdir=${dir}`, ...args]);
const replacePlan = (s: StubSandbox, dir: string) =>
  tf(s, dir, 'plan', '-out=node-1.tfplan', `-replace=${INSTANCE(1)}`, `-target=${INSTANCE(1)}`, `-target=terraform_data.${name(1, 'running-settings')}`, `-target=aws_volume_attachment.${name(1, 'data-attachment')}`, `-target=aws_lb_target_group_attachment.${name(1, 'target')}`, '-target=aws_cloudwatch_metric_alarm.node-1_status');
const outputs = (s: StubSandbox, dir: string) => JSON.parse(tf(s, dir, 'output', '-json').stdout);

const NOW = Math.floor(Date.now() / 1000);
const HYDRA_SECRET = 'arn:secret:client-hydra';
const NODE_SECRET = 'arn:secret:node-1';

/** The renewal's two stacks: an empty cockroach-pki and ory directory, their state, and the secrets they read. */
function renewalStacks(s: StubSandbox, state: { pki?: Record<string, unknown>; ory?: Record<string, unknown> } = {}): { pki: string; ory: string } {
  const dirs = { pki: join(s.dir, 'cockroach-pki'), ory: join(s.dir, 'ory') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  s.write(`secrets/${NODE_SECRET.replace(/[/:]/g, '_')}`, JSON.stringify({ 'ca.crt': 'CA', 'node.crt': 'OLD NODE', 'node.key': 'K' }));
  s.write(`secrets/${HYDRA_SECRET.replace(/[/:]/g, '_')}`, JSON.stringify({ 'ca.crt': 'CA', 'client.hydra.crt': 'RENEWED HYDRA', 'client.hydra.key': 'K' }));
  s.writeJson('renewal.json', {
    pki: {
      earlyRenewalHours: 720,
      validityDays: 365,
      certificates: [
        { address: 'tls_self_signed_cert.ca_cert_1', ca: true, commonName: 'ca', notAfter: NOW + 3650 * 86400 },
        { address: 'tls_locally_signed_cert.node-1-cert_cert_1', commonName: 'node', secretArn: NODE_SECRET, file: 'node.crt', secretVersionAddress: 'aws_secretsmanager_secret_version.node-1-secret_version_1', notAfter: NOW + 10 * 86400 },
        { address: 'tls_locally_signed_cert.client-hydra-cert_cert_1', commonName: 'hydra', secretArn: HYDRA_SECRET, file: 'client.hydra.crt', secretVersionAddress: 'aws_secretsmanager_secret_version.client-hydra-secret_version_1', notAfter: NOW + 300 * 86400 },
      ],
      ...state.pki,
    },
    ory: {
      services: {
        hydra: { secretArn: HYDRA_SECRET, user: 'hydra', replicas: 2, secretAddress: 'kubernetes_secret_v1.hydra', releaseAddress: 'helm_release.hydra', parameterAddress: 'aws_ssm_parameter.hydra', parameterName: '/p/hydra', deployed: { ca: 'CA', cert: 'OLD HYDRA' } },
      },
      ...state.ory,
    },
  });
  return dirs;
}
const planJson = (s: StubSandbox, dir: string, file: string) => JSON.parse(tf(s, dir, 'show', '-json', file).stdout);

export const TERRAFORM_PROBES: Record<string, Probe> = {
  'apply.ory-release-fails': (s) => {
    const { ory } = renewalStacks(s, { ory: { applyFails: true } });
    tf(s, ory, 'plan', '-out=ory.tfplan');
    const apply = tf(s, ory, 'apply', 'ory.tfplan');
    expect([apply.status, apply.stderr]).toEqual([1, expect.stringContaining('rolled back due to atomic being set')]);
    expect(s.readJson('renewal.json').ory.services.hydra.deployed.cert).toBe('OLD HYDRA');
  },
  'apply.ory-rollout': (s) => {
    const { ory } = renewalStacks(s);
    tf(s, ory, 'plan', '-out=ory.tfplan');
    expect(tf(s, ory, 'apply', 'ory.tfplan').status).toBe(0);
    expect(s.readJson('renewal.json').events).toEqual(['ory hydra: new pod 1 ready, old pod 1 removed', 'ory hydra: new pod 2 ready, old pod 2 removed']);
    expect(s.readJson('ssm-parameters.json')['/p/hydra']).toEqual({ value: 'CA\nRENEWED HYDRA', version: 1 });
    tf(s, ory, 'plan', '-out=again.tfplan');
    expect(planJson(s, ory, 'again.tfplan').resource_changes).toEqual([]);
  },
  'apply.pki-reissue': (s) => {
    const { pki } = renewalStacks(s);
    tf(s, pki, 'plan', '-out=pki.tfplan');
    expect(tf(s, pki, 'apply', 'pki.tfplan').status).toBe(0);
    const renewed = s.readJson(`secrets/${NODE_SECRET.replace(/[/:]/g, '_')}`);
    expect(renewed['node.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(renewed['node.key']).toBe('K');
    expect(new X509Certificate(renewed['node.crt']).validTo).not.toBe('');
    expect(s.readJson('renewal.json').events).toEqual(['cockroach-pki re-issued tls_locally_signed_cert.node-1-cert_cert_1']);
  },
  'plan.ory-renewed-secret': (s) => {
    const { ory } = renewalStacks(s);
    tf(s, ory, 'plan', '-out=ory.tfplan');
    expect(planJson(s, ory, 'ory.tfplan').resource_changes.map((c: any) => `${c.change.actions.join('+')} ${c.address}`)).toEqual(['update kubernetes_secret_v1.hydra', 'update helm_release.hydra', 'update aws_ssm_parameter.hydra']);
  },
  'plan.pki-early-renewal': (s) => {
    const { pki } = renewalStacks(s);
    tf(s, pki, 'plan', '-out=pki.tfplan');
    expect(planJson(s, pki, 'pki.tfplan').resource_changes.map((c: any) => `${c.change.actions.join('+')} ${c.address}`)).toEqual([
      'delete+create tls_locally_signed_cert.node-1-cert_cert_1',
      'delete+create aws_secretsmanager_secret_version.node-1-secret_version_1',
    ]);
    const caDue = renewalStacks(s, { pki: { certificates: [{ address: 'tls_self_signed_cert.ca_cert_1', ca: true, commonName: 'ca', notAfter: NOW + 86400 }, { address: 'tls_locally_signed_cert.client-hydra-cert_cert_1', commonName: 'hydra', secretArn: HYDRA_SECRET, file: 'client.hydra.crt', secretVersionAddress: 'aws_secretsmanager_secret_version.client-hydra-secret_version_1', notAfter: NOW + 300 * 86400 }] } });
    tf(s, caDue.pki, 'plan', '-out=ca.tfplan');
    expect(planJson(s, caDue.pki, 'ca.tfplan').resource_changes.map((c: any) => c.address)).toEqual(['tls_self_signed_cert.ca_cert_1', 'tls_locally_signed_cert.client-hydra-cert_cert_1', 'aws_secretsmanager_secret_version.client-hydra-secret_version_1']);
  },
  'apply.fails-before-replacing': (s) => {
    const dir = stack(s, { applyFails: true });
    replacePlan(s, dir);
    const apply = tf(s, dir, 'apply', 'node-1.tfplan');
    expect(apply.status).toBe(1);
    expect(apply.stderr).toContain('InsufficientInstanceCapacity');
    expect(s.readJson('terraform.json').instances['1']).toBe('i-1');
  },
  'apply.plain-outputs-only': (s) => {
    const dir = stack(s, { outputInstances: { 1: 'i-old', 2: 'i-2', 3: 'i-3' } });
    expect(tf(s, dir, 'plan', '-out=plain.tfplan').status).toBe(0);
    expect(tf(s, dir, 'apply', 'plain.tfplan').status).toBe(0);
    expect(outputs(s, dir).node_instance_ids.value).toEqual(['i-1', 'i-2', 'i-3']);
  },
  'apply.replace-node': (s) => {
    const dir = stack(s);
    cluster(s);
    replacePlan(s, dir);
    expect(tf(s, dir, 'apply', 'node-1.tfplan').status).toBe(0);
    const world = s.readJson('terraform.json');
    expect(world.instances['1']).toBe('i-0c000000000000004');
    expect(world.running['1']).toEqual(world.wanted);
    expect(world.dependents['aws_cloudwatch_metric_alarm.node-1_status']).toBe('i-0c000000000000004');
    expect(s.readJson('targets.json')).toEqual({ 'i-0c000000000000004': { registering: 1 } });
    expect(s.readJson('cluster.json').nodes['1']).toMatchObject({ binary: 'v25.4.1', status: 'starting' });
    expect(outputs(s, dir).node_instance_ids.value).toEqual(['i-1', 'i-2', 'i-3']);
  },
  'cli.init': (s) => {
    expect(tf(s, stack(s), 'init', '-input=false').status).toBe(0);
  },
  'cli.output-json': (s) => {
    const dir = stack(s);
    expect(outputs(s, dir)).toMatchObject({ node_instance_ids: { value: ['i-1', 'i-2', 'i-3'] }, nodes_pending_replacement: { value: ['node-1'] }, backup_bucket_name: { value: 'bucket' } });
    const operations = { operationsRoleArn: 'arn:aws:iam::123456789012:role/crdb-ory-cockroach-operator', operationsLogGroupName: '/crdb-ory/cockroach/operations' };
    expect(outputs(s, stack(s, operations))).toMatchObject({ operations_role_arn: { value: operations.operationsRoleArn }, operations_log_group_name: { value: operations.operationsLogGroupName } });
  },
  'cli.show-json-plan': (s) => {
    const dir = stack(s);
    replacePlan(s, dir);
    expect(JSON.parse(tf(s, dir, 'show', '-json', 'node-1.tfplan').stdout).resource_changes[0]).toEqual({ address: INSTANCE(1), type: 'aws_instance', change: { actions: ['delete', 'create'] } });
  },
  'cli.show-json-state': (s) => {
    const resources = JSON.parse(tf(s, stack(s), 'show', '-json').stdout).values.root_module.resources;
    expect(resources.find((r: any) => r.address === INSTANCE(2)).values).toEqual({ id: 'i-2', private_ip: '10.10.11.10' });
    expect(resources.find((r: any) => r.address === `aws_lb_target_group_attachment.${name(2, 'target')}`).values).toEqual({ target_group_arn: TARGET_GROUP, target_id: 'i-2', port: 26257 });
  },
  'plan.plain': (s) => {
    const dir = stack(s, { planDirty: true });
    tf(s, dir, 'plan', '-out=plain.tfplan');
    expect(JSON.parse(tf(s, dir, 'show', '-json', 'plain.tfplan').stdout).resource_changes).toEqual([{ address: `terraform_data.${name(1, 'settings')}`, type: 'terraform_data', change: { actions: ['update'] } }]);
  },
  'plan.replace-targeted': (s) => {
    const dir = stack(s);
    replacePlan(s, dir);
    const changes = JSON.parse(tf(s, dir, 'show', '-json', 'node-1.tfplan').stdout).resource_changes.map((c: any) => `${c.change.actions.join('+')} ${c.address.split('.')[0]}`);
    expect(changes).toEqual(['delete+create aws_instance', 'delete+create terraform_data', 'delete+create aws_volume_attachment', 'delete+create aws_lb_target_group_attachment', 'update aws_cloudwatch_metric_alarm']);
  },
};

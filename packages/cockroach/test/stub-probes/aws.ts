import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { StubSandbox } from '../stub-sandbox';
import { Probe, cluster } from './support';

const aws = (s: StubSandbox, ...args: string[]) => s.run('aws', args);
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-root-AbCdEf';
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/crdb-ory-sql-nodes/0123456789abcdef';
const targetHealth = (s: StubSandbox, instance: string) =>
  JSON.parse(aws(s, 'elbv2', 'describe-target-health', '--target-group-arn', TARGET_GROUP, '--targets', `Id=${instance}`, '--region', 'us-east-1', '--output', 'json').stdout).TargetHealthDescriptions[0].TargetHealth;
/** Sends `commands` to an instance with AWS-RunShellScript; returns the command id. */
const send = (s: StubSandbox, instance: string, commands: string[]) => {
  const parameters = join(s.dir, 'parameters.json');
  writeFileSync(parameters, JSON.stringify({ commands, executionTimeout: ['60'] }));
  return aws(s, 'ssm', 'send-command', '--instance-ids', instance, '--document-name', 'AWS-RunShellScript', '--parameters', `file://${parameters}`, '--region', 'us-east-1');
};

export const AWS_PROBES: Record<string, Probe> = {
  'cloudwatch.put-metric-data': (s) => {
    expect(aws(s, 'cloudwatch', 'put-metric-data', '--region', 'us-east-1', '--namespace', 'CrdbOry/CockroachDB', '--metric-data', '[{"MetricName":"M","Value":1}]').status).toBe(0);
    expect(JSON.parse(s.read('metrics.log'))).toEqual({ region: 'us-east-1', namespace: 'CrdbOry/CockroachDB', metricData: [{ MetricName: 'M', Value: 1 }] });
  },
  'elbv2.target-health-checks': (s) => {
    cluster(s);
    s.writeJson('instances.json', { 'i-new': 1 });
    s.writeJson('targets.json', { 'i-new': { registering: 0 } });
    expect(targetHealth(s, 'i-new')).toEqual({ State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' });
    expect(targetHealth(s, 'i-new')).toEqual({ State: 'healthy' });
    const state = s.readJson('cluster.json');
    state.nodes['1'].draining = true;
    s.writeJson('cluster.json', state);
    expect(targetHealth(s, 'i-new').State).toBe('healthy');
    expect(targetHealth(s, 'i-new')).toEqual({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' });
  },
  'elbv2.target-not-registered': (s) => {
    s.writeJson('instances.json', {});
    expect(targetHealth(s, 'i-gone')).toMatchObject({ State: 'unused', Reason: 'Target.NotRegistered' });
  },
  'elbv2.target-registration-in-progress': (s) => {
    cluster(s);
    s.writeJson('instances.json', { 'i-new': 1 });
    s.writeJson('targets.json', { 'i-new': { registering: 1 } });
    expect(targetHealth(s, 'i-new')).toMatchObject({ State: 'initial', Reason: 'Elb.RegistrationInProgress' });
    expect(targetHealth(s, 'i-new')).toMatchObject({ State: 'initial', Reason: 'Elb.InitialHealthChecking' });
  },
  'ssm.get-parameter': (s) => {
    s.writeJson('ssm-parameters.json', { '/p/a': { value: 'PEM\nPEM', version: 2 } });
    expect(aws(s, 'ssm', 'get-parameter', '--name', '/p/a', '--query', 'Parameter.Value', '--output', 'text', '--region', 'us-east-1').stdout).toBe('PEM\nPEM\n');
  },
  'ssm.get-parameter-not-found': (s) => {
    s.writeJson('ssm-parameters.json', {});
    expect(aws(s, 'ssm', 'get-parameter', '--name', '/p/a', '--query', 'Parameter.Value', '--output', 'text', '--region', 'us-east-1').stderr).toContain('ParameterNotFound');
  },
  'ssm.get-parameters-by-path': (s) => {
    s.writeJson('ssm-parameters.json', { '/p/a': { value: 'A', version: 1 }, '/p/b': { value: 'B', version: 3 }, '/p/b/deeper': { value: 'no', version: 1 }, '/q/c': { value: 'no', version: 1 } });
    expect(JSON.parse(aws(s, 'ssm', 'get-parameters-by-path', '--region', 'us-east-1', '--path', '/p', '--output', 'json').stdout)).toEqual({
      Parameters: [{ Name: '/p/a', Type: 'String', Value: 'A', Version: 1 }, { Name: '/p/b', Type: 'String', Value: 'B', Version: 3 }],
    });
  },
  'ssm.put-parameter-already-exists': (s) => {
    s.writeJson('ssm-parameters.json', { '/p/a': { value: 'pending', version: 1 } });
    expect(aws(s, 'ssm', 'put-parameter', '--region', 'us-east-1', '--name', '/p/a', '--value', 'complete').stderr).toContain('ParameterAlreadyExists');
    expect(s.readJson('ssm-parameters.json')['/p/a']).toEqual({ value: 'pending', version: 1 });
  },
  'ssm.put-parameter-overwrite': (s) => {
    s.writeJson('ssm-parameters.json', { '/p/a': { value: 'pending', version: 1 } });
    expect(JSON.parse(aws(s, 'ssm', 'put-parameter', '--region', 'us-east-1', '--name', '/p/a', '--overwrite', '--value', 'complete').stdout)).toEqual({ Version: 2, Tier: 'Standard' });
    expect(s.readJson('ssm-parameters.json')['/p/a']).toEqual({ value: 'complete', version: 2 });
  },
  's3api.list-objects-v2-common-prefixes': (s) => {
    const list = () => aws(s, 's3api', 'list-objects-v2', '--region', 'us-east-1', '--bucket', 'b', '--prefix', 'clusters/', '--delimiter', '/', '--query', 'CommonPrefixes[].Prefix', '--output', 'text').stdout;
    expect(list()).toBe('None\n');
    s.writeJson('s3.json', { b: ['clusters/a/LATEST', 'clusters/a/2026/x', 'clusters/b/LATEST', 'other/c'] });
    expect(list()).toBe('clusters/a/\tclusters/b/\n');
  },
  'secretsmanager.access-denied-while-iam-propagates': (s) => {
    s.write('aws-failures', '1');
    s.write(`secrets/${SECRET.replace(/[/:]/g, '_')}`, 'value');
    const read = () => aws(s, 'secretsmanager', 'get-secret-value', '--region', 'us-east-1', '--secret-id', SECRET, '--query', 'SecretString', '--output', 'text');
    expect(read().stderr).toContain('AccessDeniedException');
    expect(read().stdout).toBe('value');
  },
  'secretsmanager.replica-propagation': (s) => {
    const replica = SECRET.replace(':us-east-1:', ':us-east-2:');
    const read = () => aws(s, 'secretsmanager', 'get-secret-value', '--region', 'us-east-2', '--secret-id', replica, '--query', 'SecretString', '--output', 'text').stdout;
    s.write(`secrets/${SECRET.replace(/[/:]/g, '_')}`, 'new');
    s.write(`secrets/${replica.replace(/[/:]/g, '_')}`, 'old');
    s.writeJson('replicas.json', { [replica]: { primary: SECRET, lag: 2 } });
    expect([read(), read(), read(), read()]).toEqual(['old', 'old', 'new', 'new']);
  },
  'secretsmanager.get-secret-value': (s) => {
    const read = () => aws(s, 'secretsmanager', 'get-secret-value', '--region', 'us-east-1', '--secret-id', SECRET, '--query', 'SecretString', '--output', 'text');
    expect(read().stderr).toContain('ResourceNotFoundException');
    s.write(`secrets/${SECRET.replace(/[/:]/g, '_')}`, '{"ca.crt":"CA"}');
    expect(read().stdout).toBe('{"ca.crt":"CA"}');
  },
  'ssm.get-command-invocation': (s) => {
    s.writeJson('instances.json', { 'i-1': 1 });
    const id = send(s, 'i-1', ['echo hello; echo oops >&2; exit 3']).stdout.trim();
    expect(JSON.parse(aws(s, 'ssm', 'get-command-invocation', '--command-id', id, '--instance-id', 'i-1', '--output', 'json').stdout)).toMatchObject({ Status: 'Failed', StandardOutputContent: 'hello\n', StandardErrorContent: 'oops\n' });
  },
  'ssm.get-command-invocation-does-not-exist': (s) => {
    s.writeJson('instances.json', { 'i-1': 1, 'i-2': 2 });
    const id = send(s, 'i-1', ['true']).stdout.trim();
    expect(aws(s, 'ssm', 'get-command-invocation', '--command-id', id, '--instance-id', 'i-2').stderr).toContain('InvocationDoesNotExist');
    expect(aws(s, 'ssm', 'get-command-invocation', '--command-id', 'cmd-99', '--instance-id', 'i-1').stderr).toContain('InvocationDoesNotExist');
  },
  'ssm.send-command-cloudwatch-output-config': (s) => {
    s.writeJson('instances.json', { 'i-1': 1 });
    const output = { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/crdb-ory/cockroach/operations' };
    const parameters = join(s.dir, 'parameters.json');
    writeFileSync(parameters, JSON.stringify({ commands: ['true'] }));
    const id = aws(s, 'ssm', 'send-command', '--instance-ids', 'i-1', '--document-name', 'AWS-RunShellScript', '--parameters', `file://${parameters}`, '--cloud-watch-output-config', JSON.stringify(output), '--region', 'us-east-1').stdout.trim();
    const invocation = (command: string) => JSON.parse(aws(s, 'ssm', 'get-command-invocation', '--command-id', command, '--instance-id', 'i-1', '--output', 'json').stdout);
    expect(invocation(id).CloudWatchOutputConfig).toEqual(output);
    expect(invocation(send(s, 'i-1', ['true']).stdout.trim())).not.toHaveProperty('CloudWatchOutputConfig');
  },
  'ssm.send-command-invalid-instance': (s) => {
    s.writeJson('instances.json', { 'i-1': 1 });
    s.writeJson('unregistered.json', { 'i-1': 1 });
    expect(send(s, 'i-1', ['true']).stderr).toContain('InvalidInstanceId');
    expect(send(s, 'i-1', ['true']).status).toBe(0);
    expect(send(s, 'i-9', ['true']).stderr).toContain('InvalidInstanceId');
  },
  'ssm.send-command-run-shell-script': (s) => {
    s.writeJson('instances.json', { 'i-2': 2 });
    const id = send(s, 'i-2', ['echo "node=$STUB_NODE root=$COCKROACH_BOOT_ROOT"']).stdout.trim();
    expect(JSON.parse(s.read(`ssm/${id}.json`))).toMatchObject({ Status: 'Success', StandardOutputContent: `node=2 root=${s.path('nodes', '2', 'root')}\n` });
  },
  'sts.get-caller-identity-profile': (s) => {
    const east2 = { UserId: 'AROAEXAMPLEEAST2:alice', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/crdb-ory-us-east-2-cockroach-operator/alice' };
    s.writeJson('caller.json', { UserId: 'AIDAEXAMPLE', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice' });
    s.writeJson('profiles.json', { 'ops-east-2': east2 });
    expect(JSON.parse(s.run('aws', ['sts', 'get-caller-identity', '--output', 'json', '--region', 'us-east-2'], { env: { AWS_PROFILE: 'ops-east-2' } }).stdout)).toEqual(east2);
  },
  'sts.get-caller-identity': (s) => {
    const caller = { UserId: 'AROAEXAMPLEOPERATOR:alice', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/crdb-ory-cockroach-operator/alice' };
    s.writeJson('caller.json', caller);
    expect(JSON.parse(aws(s, 'sts', 'get-caller-identity', '--output', 'json', '--region', 'us-east-1').stdout)).toEqual(caller);
  },
  'sts.get-caller-identity-no-credentials': (s) => {
    const run = aws(s, 'sts', 'get-caller-identity', '--output', 'json', '--region', 'us-east-1');
    expect(run.status).toBe(253);
    expect(run.stderr).toContain('Unable to locate credentials');
  },
};

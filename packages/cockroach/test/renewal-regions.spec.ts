import { describe, expect, it } from 'vitest';
import type { CommandRunner, NodeCommandResult, NodeShell, RenewalRegion, RenewalTerraform } from '../src/ops';
import { OperationStopped, renewCertificates, renewOtherRegions, renewalRegionOf, renewalRegionOrder } from '../src/ops';
import { namePrefixOfOperationsRole, operationsRoleName } from '../src';
import { StubSandbox } from './stub-sandbox';

// The renewal across regions (issue 24), in process: the AWS CLI is the aws stub (SSM parameters
// and Secrets Manager as it models them); the nodes are recorded (the single-region renewal world
// runs the real node scripts).
const ACCOUNT = '123456789012';
const arn = (region: string, leaf: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:crdb-ory/cockroach/${leaf}-AbCdEf`;
const REGIONS = [
  { region: 'us-east-2', namePrefix: 'crdb-ory-use2', leaves: ['us-east-2/node-1', 'us-east-2/node-2', 'us-east-2/node-3'] },
  { region: 'us-west-2', namePrefix: 'crdb-ory-usw2', leaves: ['us-west-2/node-1', 'us-west-2/node-2', 'us-west-2/node-3'] },
];
const RENEWED = (leaf: string) => JSON.stringify({ 'ca.crt': 'CA', 'node.crt': `RENEWED ${leaf}` });
const OLD = (leaf: string) => JSON.stringify({ 'ca.crt': 'CA', 'node.crt': `OLD ${leaf}` });

/** The primary secrets renewed; each region's replicas as `replicated` says; the PKI's outputs published in each region. */
function world(replicated: (region: string) => boolean) {
  const s = new StubSandbox();
  const parameters: Record<string, { value: string; version: number }> = {};
  for (const r of REGIONS) {
    const leaves = [...r.leaves, 'client-root'];
    for (const leaf of leaves) {
      s.write(`secrets/${arn('us-east-1', leaf).replace(/[/:]/g, '_')}`, RENEWED(leaf));
      s.write(`secrets/${arn(r.region, leaf).replace(/[/:]/g, '_')}`, replicated(r.region) ? RENEWED(leaf) : OLD(leaf));
    }
    parameters[`/${r.namePrefix}/cockroach-pki/node_secret_arns`] = { value: JSON.stringify(r.leaves.map((l) => arn(r.region, l))), version: 1 };
    parameters[`/${r.namePrefix}/cockroach-pki/root_client_secret_arn`] = { value: JSON.stringify(arn(r.region, 'client-root')), version: 1 };
  }
  s.writeJson('ssm-parameters.json', parameters);
  const exec: CommandRunner = (program, args) => s.run(program, args);
  const calls: string[] = [];
  const shell = (region: string): NodeShell => ({
    run: async (instanceId, args): Promise<NodeCommandResult> => {
      calls.push(`${region} ${instanceId} ${args.join(' ')}`);
      return { ok: true, status: 'Success', stdout: args[0] === 'status' ? 'ready=200\n' : '', stderr: '' };
    },
  });
  const regions: RenewalRegion[] = REGIONS.map((r, i) => ({ region: r.region, namePrefix: r.namePrefix, instanceIds: [1, 2, 3].map((n) => `i-0${i + 1}${n}`), nodes: shell(r.region) }));
  const log: string[] = [];
  return { s, exec, calls, regions, log };
}

describe('renew-certificates across regions: each region\'s nodes after its replicas caught up', () => {
  it('waits for a region\'s replicas to hold the renewed values, then refreshes its nodes one at a time, region by region', async () => {
    const w = world((region) => region === 'us-east-2');
    let sleeps = 0;
    // us-west-2's replicas catch up while the command waits (Secrets Manager replicates asynchronously).
    const sleep = async () => {
      sleeps++;
      for (const leaf of [...(REGIONS[1]?.leaves ?? []), 'client-root']) w.s.write(`secrets/${arn('us-west-2', leaf).replace(/[/:]/g, '_')}`, RENEWED(leaf));
    };
    await renewOtherRegions({ exec: w.exec, region: 'us-east-1', log: (l) => w.log.push(l), regions: w.regions, replicaWait: { pollSeconds: 0.01, timeoutSeconds: 60, sleep } }, 3);
    expect(sleeps).toBe(1);
    expect(w.calls).toEqual([
      ...[1, 2, 3].flatMap((n) => [`us-east-2 i-01${n} refresh-certs`, `us-east-2 i-01${n} status`]),
      ...[1, 2, 3].flatMap((n) => [`us-west-2 i-02${n} refresh-certs`, `us-west-2 i-02${n} status`]),
    ]);
    expect(w.log).toEqual([
      '   us-east-2: the 4 replicas its nodes read hold the renewed values',
      ...[1, 2, 3].map((n) => `3.${3 + n} node ${n} in us-east-2 (i-01${n}): certificates refreshed; ready`),
      '   us-west-2: the 4 replicas its nodes read hold the renewed values',
      ...[1, 2, 3].map((n) => `3.${6 + n} node ${n} in us-west-2 (i-02${n}): certificates refreshed; ready`),
    ]);
    // It read each region's own published outputs, in that region, and each secret's replica there.
    expect(w.s.exercised()).toEqual(expect.arrayContaining(['ssm.get-parameter', 'secretsmanager.get-secret-value']));
  });

  it('stops before refreshing a region whose replicas have not caught up, naming them; the regions before it are done', async () => {
    const w = world((region) => region === 'us-east-2');
    const run = renewOtherRegions({ exec: w.exec, region: 'us-east-1', log: () => undefined, regions: w.regions, replicaWait: { pollSeconds: 0.01, timeoutSeconds: 0, sleep: async () => undefined } }, 3);
    await expect(run).rejects.toThrow(/stopped before refreshing the nodes in us-west-2: 4 replica secret\(s\) there still hold other values than in us-east-1 after 0 s \(arn:aws:secretsmanager:us-west-2:123456789012:secret:crdb-ory\/cockroach\/us-west-2\/node-1-AbCdEf, /);
    expect(w.calls.filter((c) => c.startsWith('us-west-2'))).toEqual([]);
    expect(w.calls.filter((c) => c.endsWith('refresh-certs'))).toHaveLength(3);
  });

  it('stops when the PKI has published no outputs in a region (not applied with nodeRegions)', async () => {
    const w = world(() => true);
    w.s.writeJson('ssm-parameters.json', {});
    await expect(renewOtherRegions({ exec: w.exec, region: 'us-east-1', log: () => undefined, regions: w.regions }, 3)).rejects.toThrow(/reading the cockroach-pki outputs published in us-east-2 failed: .*ParameterNotFound/);
    expect(w.calls).toEqual([]);
  });
});

describe('the command line\'s regions: their order and what each is read from', () => {
  const stacks = ['us-east-1', 'us-east-2', 'us-west-2'].map((region) => ({ region }));

  it('renews the primary region first, then the others in the order given (the roll goes the other way)', () => {
    expect(renewalRegionOrder(stacks, 'us-east-1').map((s) => s.region)).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    expect(renewalRegionOrder(stacks, 'us-east-2').map((s) => s.region)).toEqual(['us-east-2', 'us-east-1', 'us-west-2']);
    expect(() => renewalRegionOrder(stacks, 'eu-west-1')).toThrow(new OperationStopped('the primary region eu-west-1 is none of the stacks\' regions (us-east-1, us-east-2, us-west-2)'));
    expect(() => renewalRegionOrder([...stacks, { region: 'us-west-2' }], 'us-east-1')).toThrow(/two stacks are in the region us-west-2/);
  });

  it('reads a region\'s name prefix from its operations role (the inverse of operationsRoleName) and its nodes from node_instance_ids', () => {
    for (const prefix of ['crdb-ory', 'crdb-ory-us-east-2']) expect(namePrefixOfOperationsRole(`arn:aws:iam::123456789012:role/${operationsRoleName(prefix)}`)).toBe(prefix);
    expect(namePrefixOfOperationsRole('arn:aws:iam::123456789012:role/ops/crdb-ory-us-west-2-cockroach-operator')).toBe('crdb-ory-us-west-2');
    expect(namePrefixOfOperationsRole('arn:aws:iam::123456789012:role/-cockroach-operator')).toBeUndefined();
    const nodes: NodeShell = { run: async () => ({ ok: true, status: 'Success', stdout: '', stderr: '' }) };
    const outputs = { operations_role_arn: 'arn:aws:iam::123456789012:role/crdb-ory-us-east-2-cockroach-operator', node_instance_ids: ['i-1', 'i-2', 'i-3'] };
    expect(renewalRegionOf({ region: 'us-east-2', stackDir: 'east2', outputs, nodes })).toEqual({ region: 'us-east-2', namePrefix: 'crdb-ory-us-east-2', instanceIds: ['i-1', 'i-2', 'i-3'], nodes });
    expect(() => renewalRegionOf({ region: 'us-east-2', stackDir: 'east2', outputs: { ...outputs, operations_role_arn: 'arn:aws:iam::123456789012:role/admin' }, nodes })).toThrow('east2: operations_role_arn "arn:aws:iam::123456789012:role/admin" is not a role named <namePrefix>-cockroach-operator');
    expect(() => renewalRegionOf({ region: 'us-east-2', stackDir: 'east2', outputs: { ...outputs, node_instance_ids: [] }, nodes })).toThrow('node_instance_ids of east2 is missing: apply the stack first');
  });
});

describe('renewCertificates with other regions, in process (fake Terraform, the aws stub for SSM and Secrets Manager)', () => {
  const ORY_STACK = { resource: { aws_ssm_parameter: { p: { name: '/crdb-ory/ory/presented-certificates/hydra' } } } };
  const PKI_PLAN = { resource_changes: [{ address: 'tls_locally_signed_cert.node-1', type: 'tls_locally_signed_cert', mode: 'managed', change: { actions: ['delete', 'create'] } }] };
  function renewal(w: ReturnType<typeof world>, events: string[], dryRun: boolean) {
    const terraform = (name: string, outputs: Record<string, unknown> = {}): RenewalTerraform => ({
      ensureInitialized: () => undefined,
      planPlain: () => {
        events.push(`plan ${name}`);
        return name === 'cockroach-pki' ? PKI_PLAN : { resource_changes: [] };
      },
      apply: () => events.push(`apply ${name}`),
      outputs: () => outputs,
      commandLine: (args) => `terraform ${args.join(' ')}`,
    });
    const primaryNodes: NodeShell = {
      run: async (instanceId, args) => {
        w.calls.push(`us-east-1 ${instanceId} ${args.join(' ')}`);
        return { ok: true, status: 'Success', stdout: args[0] === 'status' ? 'ready=200\n' : '', stderr: '' };
      },
    };
    const log: string[] = [];
    const run = renewCertificates(
      {
        pki: terraform('cockroach-pki'),
        cluster: terraform('cockroach', { node_instance_ids: ['i-001', 'i-002', 'i-003'] }),
        ory: terraform('ory'),
        oryStack: ORY_STACK,
        nodes: primaryNodes,
        exec: w.exec,
        region: 'us-east-1',
        workDir: w.s.dir,
        log: (line) => log.push(line),
        regions: w.regions,
        replicaWait: { pollSeconds: 0.01, timeoutSeconds: 0, sleep: async () => undefined },
      },
      { dryRun },
    );
    return { run, log };
  }

  it('--dry-run prints the plan for every region: the replica wait, then each node numbered on from the primary\'s; nothing runs on a node', async () => {
    const w = world(() => false);
    const events: string[] = [];
    const { run, log } = renewal(w, events, true);
    await run;
    expect(events).toEqual(['plan cockroach-pki']);
    expect(w.calls).toEqual([]);
    expect(log.filter((l) => /^(3\.| {3}us-)/.test(l))).toEqual([
      ...[1, 2, 3].map((n) => `3.${n} would refresh node ${n} (i-00${n}): refresh-certs.sh, SIGHUP, wait for /health?ready=1`),
      '   us-east-2: would wait (at most 0 s) until the 4 replicas its nodes read there (published under /crdb-ory-use2/) hold the renewed values, then:',
      ...[1, 2, 3].map((n) => `3.${3 + n} would refresh node ${n} in us-east-2 (i-01${n}): refresh-certs.sh, SIGHUP, wait for /health?ready=1`),
      '   us-west-2: would wait (at most 0 s) until the 4 replicas its nodes read there (published under /crdb-ory-usw2/) hold the renewed values, then:',
      ...[1, 2, 3].map((n) => `3.${6 + n} would refresh node ${n} in us-west-2 (i-02${n}): refresh-certs.sh, SIGHUP, wait for /health?ready=1`),
    ]);
  });

  it('stops before applying cockroach-pki when a region has no published replica ARNs (the PKI applied without that region)', async () => {
    const w = world(() => true);
    const parameters = w.s.readJson('ssm-parameters.json');
    delete parameters['/crdb-ory-usw2/cockroach-pki/node_secret_arns'];
    w.s.writeJson('ssm-parameters.json', parameters);
    const events: string[] = [];
    await expect(renewal(w, events, false).run).rejects.toThrow(/reading the cockroach-pki outputs published in us-west-2 failed: .*ParameterNotFound/);
    expect(events).toEqual(['plan cockroach-pki']);
    expect(w.calls).toEqual([]);
  });

  it('a region whose replicas do not catch up stops the renewal after the regions before it, before its nodes and before Ory, saying which regions are done and what is not', async () => {
    const w = world((region) => region === 'us-east-2');
    const events: string[] = [];
    await expect(renewal(w, events, false).run).rejects.toThrow(/^stopped before refreshing the nodes in us-west-2: 4 replica secret\(s\) there still hold other values than in us-east-1 after 0 s .* Renewed already: every node in us-east-1, us-east-2\. Not done: the nodes in us-west-2, Ory \(a new run re-applies nothing and continues/);
    expect(events).toEqual(['plan cockroach-pki', 'apply cockroach-pki']);
    expect(w.calls.filter((c) => c.endsWith('refresh-certs'))).toEqual([...[1, 2, 3].map((n) => `us-east-1 i-00${n} refresh-certs`), ...[1, 2, 3].map((n) => `us-east-2 i-01${n} refresh-certs`)]);
  });
});

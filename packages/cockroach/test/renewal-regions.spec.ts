import { describe, expect, it } from 'vitest';
import type { CommandRunner, NodeCommandResult, NodeShell, RenewalRegion } from '../src/ops';
import { renewOtherRegions } from '../src/ops';
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

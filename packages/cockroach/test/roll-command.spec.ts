import { assert, beforeAll, describe, expect, it } from 'vitest';
import { nodeRolloutAddresses } from '../src';
import { ROLL_TIMEOUT, ROOT_SECRET_ARN, RollWorld, turn } from './roll-world';

// The roll's refusals and stops are in roll-command-stops.spec.ts: a file of their own, so the two run side by side.

describe('roll against stubs: a patch release', () => {
  const world = new RollWorld({ configured: 'v25.4.1' });
  let result: ReturnType<RollWorld['roll']>;
  beforeAll(() => {
    result = world.roll('--yes');
  }, ROLL_TIMEOUT);

  it('rolls every node, one at a time: drain, replace that node alone, ready, ranges re-replicated, then the next', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(world.events()).toEqual([...turn(1), ...turn(2), ...turn(3)]);
    expect(result.stdout).toContain('Done: every node runs v25.4.1 with its configured settings');
  });

  it('leaves every node on the new version, nothing pending, no cluster setting touched', () => {
    const cluster = world.cluster();
    expect(Object.values(cluster.nodes).map((n: any) => [n.binary, n.status, n.draining])).toEqual([['v25.4.1', 'running', false], ['v25.4.1', 'running', false], ['v25.4.1', 'running', false]]);
    expect(cluster.settings ?? {}).toEqual({});
    const terraform = world.terraform();
    expect(Object.values(terraform.running)).toEqual([terraform.wanted, terraform.wanted, terraform.wanted]);
  });

  it('applied each node as a saved plan that replaced only its instance, with its alarms and the dashboard re-pointed to the new instance', () => {
    const terraform = world.terraform();
    const addresses = nodeRolloutAddresses(world.json);
    for (const n of [1, 2, 3]) {
      const node = addresses[n - 1];
      assert.exists(node, `the rollout addresses of node ${n}`);
      const plan = world.calls().find((c) => c.startsWith('terraform') && c.includes(` -replace=${node.instance}`));
      assert.exists(plan, `a terraform call replacing ${node.instance}`);
      expect(plan).toContain(`-target=${node.dataVolumeAttachment}`);
      expect(plan).not.toContain(node.dataVolume + ' ');
      for (const dependent of world.dependentsOf(n).filter((d) => d.startsWith('aws_cloudwatch_metric_alarm'))) expect(terraform.dependents[dependent]).toBe(terraform.instances[n]);
    }
    const applies = world.calls().filter((c) => /^terraform \S+ apply /.test(c));
    expect(applies.map((c) => /[^/]+\.tfplan$/.exec(c)?.[0])).toEqual(['node-1.tfplan', 'node-2.tfplan', 'node-3.tfplan', 'outputs.tfplan']);
  });

  it('ends with a plain apply that changes outputs only, so node_instance_ids and nodes_pending_replacement describe the new nodes (a targeted apply leaves outputs as they were)', () => {
    const terraform = world.terraform();
    expect(terraform.outputInstances).toEqual(terraform.instances);
    expect(result.stdout).toContain("Refreshing the stack's outputs (node_instance_ids, nodes_pending_replacement): a plain apply that changes no resource");
  });

  it('fetched root\'s client certificate on the nodes that booted without it (SSM, the node\'s own role)', () => {
    expect(world.calls().filter((c) => c === `aws secretsmanager get-secret-value --region us-east-1 --secret-id ${ROOT_SECRET_ARN} --query SecretString --output text`).length).toBeGreaterThan(0);
  });

  it('running it again finds nothing to do', () => {
    const again = world.roll('--yes');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Done: every node runs v25.4.1');
    expect(world.events().filter((e) => e.includes('drained'))).toHaveLength(3);
  });
});

describe('roll against stubs: an operating-system patch (AWS published a newer Amazon Linux 2023 AMI)', () => {
  const NEW_AMI = 'ami-0f9e8d7c6b5a49382';
  // Same CockroachDB version; the plain apply recorded the new image in every node's wanted settings.
  const world = new RollWorld({ configured: 'v25.4.0', configuredAmi: NEW_AMI });
  let result: ReturnType<RollWorld['roll']>;
  beforeAll(() => {
    result = world.roll('--yes');
  }, ROLL_TIMEOUT);

  it('shows every node as pending and rolls them one at a time through the same gates: drain, replace alone, ready, ranges re-replicated', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(world.events()).toEqual([...turn(1), ...turn(2), ...turn(3)]);
    expect(result.stdout).toContain('Done: every node runs v25.4.0 with its configured settings');
  });

  it('leaves every node booted from the new image and on the same version, with no cluster setting touched', () => {
    const terraform = world.terraform();
    expect(Object.values(terraform.running).map((s: any) => s.ami_id)).toEqual([NEW_AMI, NEW_AMI, NEW_AMI]);
    expect(Object.values(world.cluster().nodes).map((n: any) => n.binary)).toEqual(['v25.4.0', 'v25.4.0', 'v25.4.0']);
    expect(world.cluster().settings ?? {}).toEqual({});
  });
});

describe('roll against stubs: a major-version upgrade', () => {
  const world = new RollWorld({ configured: 'v26.2.0' });
  let first: ReturnType<RollWorld['roll']>;
  beforeAll(() => {
    first = world.roll('--yes');
  }, ROLL_TIMEOUT);

  it('sets cluster.preserve_downgrade_option to the current version before the first node moves, then rolls every node', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(world.events()).toEqual(['preserve_downgrade_option = 25.4', ...turn(1), ...turn(2), ...turn(3)]);
  });

  it('does not finalize without --finalize: the cluster stays on 25.4 (it could still be rolled back) and the output says how to finalize', () => {
    expect(world.cluster().clusterVersion).toBe('25.4');
    expect(first.stdout).toMatch(/not finalized \(cluster.preserve_downgrade_option = '25.4'\).*--finalize/);
  });

  it('finalizes with --finalize, once every node runs v26.2', () => {
    const finalize = world.roll('--yes', '--finalize');
    expect(finalize.status).toBe(0);
    // RESET lets CockroachDB finalize by itself; the roll waits for it and needs no SET CLUSTER SETTING version.
    expect(world.events().slice(-2)).toEqual(['preserve_downgrade_option reset', expect.stringMatching(/^cluster finalized 26\.2/)]);
    expect(world.cluster().clusterVersion).toBe('26.2');
    expect(finalize.stdout).toContain('Done: every node runs v26.2.0');
    expect(world.calls().some((c) => c.includes("SET CLUSTER SETTING version"))).toBe(false);
  });

  it('finalizes explicitly (SET CLUSTER SETTING version) where auto-upgrade is off', () => {
    const off = new RollWorld({ configured: 'v26.2.0', running: ['v26.2.0', 'v26.2.0', 'v26.2.0'], pending: [], cluster: { autoUpgradeDisabled: true, settings: { 'cluster.preserve_downgrade_option': '25.4' } } });
    const result = off.roll('--yes', '--finalize');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(off.events()).toEqual(['preserve_downgrade_option reset', 'cluster finalized 26.2']);
  });
});

describe('roll --dry-run', () => {
  const world = new RollWorld({ configured: 'v26.2.0' });
  let result: ReturnType<RollWorld['roll']>;
  beforeAll(() => {
    result = world.roll('--dry-run', '--finalize');
  }, ROLL_TIMEOUT);

  it('prints the cluster and every step it would take, with each node\'s checked targeted plan', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Dry run: nothing will be changed.');
    expect(result.stdout).toContain("Cluster: version 25.4, cluster.preserve_downgrade_option '', 0 under-replicated and 0 unavailable ranges; configured version v26.2.0");
    expect(result.stdout).toMatch(/1\. SET CLUSTER SETTING cluster.preserve_downgrade_option = '25.4'/);
    for (const n of [1, 2, 3]) expect(result.stdout).toMatch(new RegExp(`${n + 1}\\. node ${n} \\(i-0c00000000000000${n}, v25.4.0 -> v26.2.0\\): drain it`));
    expect(result.stdout).toMatch(/5\. finalize the upgrade to v26.2/);
    expect(result.stdout).toMatch(/6\. done:/);
    expect(result.stdout.match(/targeted plan checked: it replaces this node only/g)).toHaveLength(3);
  });

  it('changes nothing: no drain, no apply, no cluster setting', () => {
    expect(world.events()).toEqual([]);
    expect(world.calls().some((c) => / apply /.test(c) || c.includes('node drain') || c.includes('SET CLUSTER SETTING'))).toBe(false);
  });
});

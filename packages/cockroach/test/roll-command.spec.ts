import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, beforeAll, describe, expect, it } from 'vitest';
import { nodeRolloutAddresses } from '../src';
import { ROOT_SECRET_ARN, RollWorld } from './roll-world';

const ROLL_TIMEOUT = 240_000;

/** The events of node `n`'s turn, in order. */
const turn = (n: number) => [`node ${n} drained`, expect.stringMatching(new RegExp(`^terraform replaced node ${n} `)), expect.stringMatching(new RegExp(`^node ${n} started`)), `node ${n} ready`, 'ranges fully replicated'];

describe('roll against stubs: a patch release', () => {
  // The command's one end-to-end spec with every stub a process of its own, as on PATH.
  const world = new RollWorld({ configured: 'v25.4.1', stubProcesses: true });
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

describe('roll against stubs: it refuses and stops, touching nothing', () => {
  const untouched = (world: RollWorld) => {
    expect(world.events()).toEqual([]);
    expect(world.calls().some((c) => / apply /.test(c) || c.includes('node drain'))).toBe(false);
  };

  it('when the upgrade would skip a major version it may not skip', () => {
    const world = new RollWorld({ configured: 'v26.2.0', running: ['v25.2.3', 'v25.2.3', 'v25.2.3'], clusterVersion: '25.2' });
    const result = world.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cockroach.version v26.2.0 cannot be rolled out: a cluster at v25.2 (a Regular release) can move only to v25.3 or v25.4');
    untouched(world);
  });

  it('when ranges are under-replicated before the first node', () => {
    const world = new RollWorld({ configured: 'v25.4.1', cluster: { underReplicated: 7, neverRereplicates: true } });
    const result = world.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the cluster is not healthy, so no node may be taken down: 7 ranges are under-replicated');
    untouched(world);
  });

  it('when a node is down', () => {
    const down = new RollWorld({ configured: 'v25.4.1' });
    down.setNodeStatus(3, 'stopped');
    const result = down.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/node 3 \(i-0c000000000000003\) is not ready/);
    untouched(down);
  });

  it('when the plain apply has not been made', () => {
    const world = new RollWorld({ configured: 'v25.4.1', terraform: { planDirty: true } });
    const result = world.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apply them first (`cdktf deploy cockroach`');
    untouched(world);
  });

  it("when a node's targeted plan would touch its data volume", () => {
    const bad = new RollWorld({ configured: 'v25.4.1' });
    const [node1] = nodeRolloutAddresses(bad.json);
    assert.exists(node1, 'the rollout addresses of node 1');
    const volume = node1.dataVolume;
    bad.updateTerraform({ extraPlanChanges: [{ address: volume, type: 'aws_ebs_volume', change: { actions: ['delete', 'create'] } }] });
    const result = bad.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`stopped before touching node 1: its targeted plan is not a plain replacement of that node: the plan would delete+create ${volume} (a data volume`);
    untouched(bad);
  });

  it('without --yes (and not a dry run): a usage error', () => {
    const world = new RollWorld({ configured: 'v25.4.1' });
    const result = world.roll();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('run it with --dry-run to see what it would do, then with --yes');
    expect(world.calls()).toEqual([]);
  });
});

describe('roll against stubs: it stops between nodes, and recovers what it drained', () => {
  it('stops after node 1 when the ranges never re-replicate, never draining node 2', () => {
    const world = new RollWorld({ configured: 'v25.4.1', cluster: { neverRereplicates: true } });
    const result = world.roll('--yes', '--ranges-timeout', '1');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/waited 1 s for the cluster to have node 1 live and no under-replicated range; last: \d ranges under-replicated\. The roll does not continue to the next node/);
    expect(world.events().filter((e) => e.includes('drained'))).toEqual(['node 1 drained']);
  });

  it('when the drain fails: restarts the node (a restart ends a drain), replaces nothing', () => {
    const world = new RollWorld({ configured: 'v25.4.1', cluster: { drainFails: true } });
    const result = world.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('draining node 1 failed');
    expect(result.stderr).toContain('Nothing was replaced; the node was restarted to serve again.');
    expect(world.calls().some((c) => / apply /.test(c))).toBe(false);
    expect(world.events()).toEqual(['node 1 started v25.4.0']);
  });

  it('when the apply fails before the instance is replaced: restarts the drained node and says so', () => {
    const world = new RollWorld({ configured: 'v25.4.1', terraform: { applyFails: true } });
    const result = world.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the apply for node 1 failed before its instance was replaced; the node was restarted to serve again.');
    expect(result.stderr).toContain('InsufficientInstanceCapacity');
    expect(world.events()).toEqual(['node 1 drained', 'node 1 started v25.4.0']);
    expect(world.cluster().nodes['1'].draining).toBe(false);
  });

  it('waits for a new instance whose SSM agent registers late and that takes a while to be ready', () => {
    const world = new RollWorld({ configured: 'v25.4.1', running: ['v25.4.1', 'v25.4.0', 'v25.4.1'], pending: [2], terraform: { ssmRegistersAfter: 2, readyAfter: 2 } });
    const result = world.roll('--yes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('waiting: SSM: Undeliverable');
    expect(result.stdout).toContain('waiting: /health?ready=1 answered 503');
    expect(world.events()).toEqual(turn(2));
  }, ROLL_TIMEOUT);
});

describe('roll against stubs: the load balancer and the drain', () => {
  it('waits until the load balancer reports a replaced node healthy before it takes the next one', () => {
    const world = new RollWorld({ configured: 'v25.4.1', running: ['v25.4.0', 'v25.4.0', 'v25.4.1'], pending: [1, 2], terraform: { targetRegistersAfter: 2 } });
    const result = world.roll('--yes');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = result.stdout;
    const waited = out.indexOf('node 1: waiting until the load balancer reports it healthy');
    expect(waited).toBeGreaterThan(-1);
    expect(out.indexOf('waiting: its target is initial (Elb.RegistrationInProgress)', waited)).toBeGreaterThan(waited);
    expect(out.indexOf('waiting: its target is initial (Elb.InitialHealthChecking)', waited)).toBeGreaterThan(waited);
    expect(out.indexOf('node 1: done')).toBeGreaterThan(out.indexOf('waiting: its target is initial (Elb.InitialHealthChecking)'));
    expect(out.indexOf('Step 2: node 2')).toBeGreaterThan(out.indexOf('node 1: done'));
  }, ROLL_TIMEOUT);

  it('stops, clearly, when the load balancer never reports the replaced node healthy, never draining the next node', () => {
    const world = new RollWorld({ configured: 'v25.4.1', running: ['v25.4.0', 'v25.4.0', 'v25.4.1'], pending: [1, 2], terraform: { targetRegistersAfter: 1000 } });
    const result = world.roll('--yes', '--target-timeout', '1');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/waited 1 s for the load balancer to report node 1 \(i-0c\d+\) healthy; last: its target is initial \(Elb.RegistrationInProgress\)\. The roll does not continue to the next node/);
    expect(world.events().filter((e) => e.includes('drained'))).toEqual(['node 1 drained']);
  }, ROLL_TIMEOUT);

  it('refuses before the first node while a node\'s target is not healthy, touching nothing', () => {
    const world = new RollWorld({ configured: 'v25.4.1' });
    writeFileSync(join(world.state, 'targets.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(world.state, 'targets.json'), 'utf8')), 'i-0c000000000000003': { registering: 0, state: 'unhealthy', streak: 2, last: false } }));
    const result = world.roll('--yes');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("node 3's load balancer target is unhealthy (Target.FailedHealthChecks), so clients cannot reach it");
    expect(world.events()).toEqual([]);
  }, ROLL_TIMEOUT);

  it('drains for as long as the cluster\'s drain settings need, and refuses a --drain-wait that does not fit them', () => {
    const drain = { 'server.shutdown.initial_wait': '30s', 'server.shutdown.connections.timeout': '330s', 'server.shutdown.transactions.timeout': '10s' };
    const short = new RollWorld({ configured: 'v25.4.1', cluster: { settings: drain } });
    const refused = short.roll('--yes', '--drain-wait', '300');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--drain-wait 300 s does not fit a drain of this cluster (server.shutdown.initial_wait 30 s + connections.timeout 330 s + 2 x transactions.timeout 10 s + lease_transfer_iteration.timeout 5 s = 385 s');
    expect(short.events()).toEqual([]);

    const dry = new RollWorld({ configured: 'v25.4.1', running: ['v25.4.1', 'v25.4.0', 'v25.4.1'], pending: [2], cluster: { settings: drain, sessions: [{ user: 'hydra', node: 2 }] } });
    expect(dry.roll('--dry-run').stdout).toContain('drain it (cockroach node drain --self --drain-wait=445s)');
    const rolled = dry.roll('--yes');
    expect(rolled.stderr).toBe('');
    expect(dry.calls().some((c) => c.startsWith('cockroach node drain --self') && c.includes('--drain-wait=445s'))).toBe(true);
  }, ROLL_TIMEOUT);
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

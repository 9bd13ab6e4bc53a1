import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { nodeRolloutAddresses } from '../src';
import { ROLL_TIMEOUT, RollWorld, turn } from './roll-world';

// The roll against stubs where it refuses, stops or waits (roll-command.spec.ts has the rolls that go through).

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
    const result = world.roll('--yes', '--ranges-timeout', '3');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/waited 3 s for the cluster to have node 1 live and no under-replicated range; last: \d ranges under-replicated\. The roll does not continue to the next node/);
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
    const result = world.roll('--yes', '--target-timeout', '3');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/waited 3 s for the load balancer to report node 1 \(i-0c\d+\) healthy; last: its target is initial \(Elb.RegistrationInProgress\)\. The roll does not continue to the next node/);
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

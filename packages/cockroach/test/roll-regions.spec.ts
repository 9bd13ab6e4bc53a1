import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperationStopped, main, regionRollOrder } from '../src/ops';
import { OPERATOR_SESSION, RollWorld } from './roll-world';

// The roll of a multi-region cluster (roll-regions.ts): each region's cockroach stack in turn, the
// primary region last, one node at a time in the whole cluster.

describe('the order of the regions', () => {
  const stacks = ['us-east-1', 'us-east-2', 'us-west-2'].map((region) => ({ region }));

  it('rolls the other regions in the order given, the primary region last', () => {
    expect(regionRollOrder(stacks, 'us-east-1').map((s) => s.region)).toEqual(['us-east-2', 'us-west-2', 'us-east-1']);
    expect(regionRollOrder(stacks, 'us-east-2').map((s) => s.region)).toEqual(['us-east-1', 'us-west-2', 'us-east-2']);
  });

  it('refuses a primary region none of the stacks is in, and two stacks of one region', () => {
    expect(() => regionRollOrder(stacks, 'eu-west-1')).toThrow(new OperationStopped('the primary region eu-west-1 is none of the stacks\' regions (us-east-1, us-east-2, us-west-2)'));
    expect(() => regionRollOrder([...stacks, { region: 'us-east-2' }], 'us-east-1')).toThrow(/two stacks are in the region us-east-2/);
  });
});

describe('the command line of a multi-region roll', () => {
  it('refuses --region with several stacks (each is rolled in its own region) and --primary-region with one (usage errors, exit 2)', async () => {
    const err: string[] = [];
    expect(await main(['roll', '--yes', '--stack-dir', 'a,b', '--region', 'us-east-1'], () => undefined, (t) => err.push(t))).toBe(2);
    expect(await main(['roll', '--yes', '--primary-region', 'us-east-1'], () => undefined, (t) => err.push(t))).toBe(2);
    expect(err.map((e) => e.split('\n')[0])).toEqual([
      "crdb-ory-cockroach: --region applies to one stack: with several --stack-dir stacks each is rolled in its own stack's region",
      "crdb-ory-cockroach: --primary-region orders several stacks: give the regions' cockroach stacks in --stack-dir, comma-separated",
    ]);
  });
});

describe('roll against stubs: two regions\' cockroach stacks (the shipped command, --stack-dir naming both)', () => {
  it('waits while a node of the other region is down, then rolls the secondary region first and the primary last, one node at a time (a decommissioned node does not count)', () => {
    // us-east-1 (the primary, this world's stack: nodes 1-3) has node 3 pending; us-east-2 (nodes 4-6) its first node.
    const world = new RollWorld({ configured: 'v25.4.1', running: ['v25.4.1', 'v25.4.1', 'v25.4.0'], pending: [3] });
    const east2 = world.addRegionStack('cockroach-us-east-2', 'us-east-2', { configured: 'v25.4.1', running: 'v25.4.0', pending: [1] });
    const stackDirs = ['cdktf.out/stacks/cockroach', east2].join(',');

    // Node 2 (us-east-1) is down: us-east-2's roll, first, sees it through the cluster and takes no node down.
    const cluster = world.cluster();
    Object.assign(cluster.nodes['2'], { status: 'stopped', live: false });
    writeFileSync(join(world.state, 'cluster.json'), JSON.stringify(cluster));
    const refused = world.roll('--dry-run', '--stack-dir', stackDirs);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('Regions in roll order (the primary region us-east-1 last): us-east-2 (cdktf.out/stacks/cockroach-us-east-2), us-east-1 (cdktf.out/stacks/cockroach)');
    expect(refused.stderr).toMatch(/^crdb-ory-cockroach roll: us-east-2: the roll would stop: the cluster is not healthy, so no node may be taken down: node 2 at 10\.10\.11\.10:26257 \(outside this stack: another region's\) is not live \(not started: us-east-1\)/);

    world.setNodeStatus(2, 'running');
    const healed = world.cluster();
    healed.nodes['2'].live = true;
    // A node of a removed region, decommissioned (docs/operations.md, "Remove a region"): CockroachDB keeps it in
    // gossip_liveness as decommissioned and not live; the gate leaves it out.
    healed.nodes['7'] = { binary: 'v25.4.0', address: '10.40.0.10:26257', status: 'stopped', live: false, draining: false, membership: 'decommissioned' };
    writeFileSync(join(world.state, 'cluster.json'), JSON.stringify(healed));
    const result = world.roll('--yes', '--stack-dir', stackDirs);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(world.events()).toEqual([
      'node 4 drained', expect.stringMatching(/^terraform replaced node 4 /), expect.stringMatching(/^node 4 started/), 'node 4 ready', 'ranges fully replicated',
      'node 3 drained', expect.stringMatching(/^terraform replaced node 3 /), expect.stringMatching(/^node 3 started/), 'node 3 ready', 'ranges fully replicated',
    ]);
    expect(Object.values(world.cluster().nodes).map((n: any) => n.binary)).toEqual([...Array(6).fill('v25.4.1'), 'v25.4.0']);
    expect(result.stdout).toMatch(/== Region 1\/2: us-east-2[\s\S]*Done: every node runs v25\.4\.1[\s\S]*== Region 2\/2: us-east-1[\s\S]*Done: every node runs v25\.4\.1/);
  }, 240_000);
});

describe('roll against stubs: each region\'s stack with its own operations role', () => {
  it('stops before anything with one session for two roles, naming the stack and its role; rolls with one --aws-profile per stack', () => {
    const world = new RollWorld({ configured: 'v25.4.1', running: ['v25.4.1', 'v25.4.1', 'v25.4.1'], pending: [] });
    const east2 = world.addRegionStack('cockroach-us-east-2', 'us-east-2', { configured: 'v25.4.1', running: 'v25.4.1', pending: [] });
    const role = 'arn:aws:iam::123456789012:role/crdb-ory-us-east-2-cockroach-operator';
    const stateFile = join(world.state, 'terraform.cockroach-us-east-2.json');
    writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(readFileSync(stateFile, 'utf8')), operationsRoleArn: role, operationsLogGroupName: '/crdb-ory-us-east-2/cockroach/operations' }));
    writeFileSync(join(world.state, 'profiles.json'), JSON.stringify({ 'ops-primary': OPERATOR_SESSION, 'ops-east-2': { ...OPERATOR_SESSION, Arn: 'arn:aws:sts::123456789012:assumed-role/crdb-ory-us-east-2-cockroach-operator/alice' } }));
    const stackDirs = ['cdktf.out/stacks/cockroach', east2].join(',');

    const refused = world.roll('--dry-run', '--stack-dir', stackDirs);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${east2} (us-east-2): runs as the operations role ${role}`);
    expect(refused.stderr).toContain('with --aws-profile (in the order of --stack-dir). Nothing was changed.');
    expect(world.calls().filter((c) => c.startsWith('aws ssm send-command'))).toEqual([]);

    const result = world.roll('--dry-run', '--stack-dir', stackDirs, '--aws-profile', 'ops-primary,ops-east-2');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Running as arn:aws:sts::123456789012:assumed-role/crdb-ory-us-east-2-cockroach-operator/alice; command output is logged to /crdb-ory-us-east-2/cockroach/operations.');
    expect(result.stdout).toMatch(/== Region 1\/2: us-east-2[\s\S]*== Region 2\/2: us-east-1/);
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { ClusterObservation, NodeObservation, OtherNodeObservation } from '../src/ops/cluster-observation';
import { decideNextStep, plannedSteps } from '../src/ops/roll-decision';
import { allowedNextMajors, assessUpgrade, majorOf } from '../src/ops/version-policy';

const node = (n: number, overrides: Partial<NodeObservation> = {}): NodeObservation => ({
  node: n, instanceId: `i-00${n}`, pending: false, ready: true, binaryVersion: 'v25.4.0', live: true, draining: false, loadBalancerTarget: { state: 'healthy' }, ...overrides,
});
/** The bootstrap's drain settings: 30 + 330 + 2 x 10 + 5 = 385 s of drain. */
const DRAIN = { initialWaitSeconds: 30, connectionsTimeoutSeconds: 330, transactionsTimeoutSeconds: 10, leaseTransferIterationSeconds: 5 };

/** A healthy cluster on v25.4.0 whose configuration wants `targetVersion` on the pending nodes. */
function cluster(targetVersion: string, nodes: NodeObservation[], sql: Partial<NonNullable<ClusterObservation['cluster']>> = {}): ClusterObservation {
  return { targetVersion, planClean: true, nodes, cluster: { clusterVersion: '25.4', preserveDowngradeOption: '', underReplicatedRanges: 0, unavailableRanges: 0, drain: DRAIN, ...sql } };
}
const allPending = () => [1, 2, 3].map((n) => node(n, { pending: true }));
const NO_FINALIZE = { finalize: false };

describe('version rules (CockroachDB: one major version at a time, Innovation releases optional)', () => {
  it('reads the major version of release tags and cluster versions', () => {
    expect(['v25.4.0', 'v26.2.1', '25.4', '25.4-upgrading-to-26.1-step-002', 'v24.3.12'].map(majorOf)).toEqual(['25.4', '26.2', '25.4', '25.4', '24.3']);
  });

  it('lets a Regular release move to the next version or skip the Innovation release to the next Regular one', () => {
    expect(allowedNextMajors('25.4')).toEqual(['26.1', '26.2']);
    expect(allowedNextMajors('25.2')).toEqual(['25.3', '25.4']);
    expect(allowedNextMajors('24.3')).toEqual(['25.1', '25.2']);
  });

  it('lets an Innovation release move only to the next (Regular) version', () => {
    expect(allowedNextMajors('26.1')).toEqual(['26.2']);
    expect(allowedNextMajors('25.3')).toEqual(['25.4']);
  });

  it('refuses two steps, a downgrade of a finalized cluster, and versions it has not been told about', () => {
    expect(assessUpgrade('25.2', '26.1')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('can move only to v25.3 or v25.4') });
    expect(assessUpgrade('25.3', '26.1')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('(an Innovation release) can move only to v25.4') });
    expect(assessUpgrade('26.2', '25.4')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('cannot be rolled back to v25.4') });
    expect(assessUpgrade('26.2', '26.3')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('v26.3 is not in the roll\'s table') });
    expect(assessUpgrade('25.4', '25.4')).toEqual({ kind: 'same-major' });
    expect(assessUpgrade('25.4', '26.2')).toEqual({ kind: 'major-upgrade' });
  });
});

describe('the next step of a patch release (or any non-version change): replace the pending nodes in order, nothing to finalize', () => {
  it('replaces node 1 first, then the next pending one', () => {
    expect(decideNextStep(cluster('v25.4.1', allPending()), NO_FINALIZE)).toEqual({ kind: 'replace-node', node: 1, instanceId: 'i-001', fromVersion: 'v25.4.0', toVersion: 'v25.4.1', drainWaitSeconds: 445 });
    const afterOne = cluster('v25.4.1', [node(1, { binaryVersion: 'v25.4.1' }), node(2, { pending: true }), node(3, { pending: true })]);
    expect(decideNextStep(afterOne, NO_FINALIZE)).toMatchObject({ kind: 'replace-node', node: 2 });
  });

  it('never touches cluster.preserve_downgrade_option and is done once every node runs the version', () => {
    expect(plannedSteps(cluster('v25.4.1', allPending()), NO_FINALIZE).map((s) => s.kind)).toEqual(['replace-node', 'replace-node', 'replace-node', 'done']);
    const done = decideNextStep(cluster('v25.4.1', [1, 2, 3].map((n) => node(n, { binaryVersion: 'v25.4.1' }))), { finalize: true });
    expect(done).toEqual({ kind: 'done', summary: 'every node runs v25.4.1 with its configured settings; nothing to finalize' });
  });

  it('rolls an instance type change (same version) the same way', () => {
    expect(plannedSteps(cluster('v25.4.0', [node(1), node(2, { pending: true }), node(3, { pending: true })]), NO_FINALIZE).map((s) => s.kind === 'replace-node' ? s.node : s.kind)).toEqual([2, 3, 'done']);
  });
});

describe('the next step of a major-version upgrade', () => {
  it('sets cluster.preserve_downgrade_option to the current version before the first node moves', () => {
    expect(decideNextStep(cluster('v26.2.0', allPending()), NO_FINALIZE)).toEqual({ kind: 'set-preserve-downgrade', version: '25.4' });
  });

  it('then replaces the nodes one at a time, and finalizes only when asked and only once every node runs the new binary', () => {
    const steps = plannedSteps(cluster('v26.2.0', allPending()), { finalize: true });
    expect(steps.map((s) => (s.kind === 'replace-node' ? `replace ${s.node}` : s.kind))).toEqual(['set-preserve-downgrade', 'replace 1', 'replace 2', 'replace 3', 'finalize', 'done']);
    expect(steps[4]).toEqual({ kind: 'finalize', version: '26.2' });
  });

  it('without --finalize stops after the last node, saying the upgrade can still be rolled back and how to finalize', () => {
    const steps = plannedSteps(cluster('v26.2.0', allPending()), NO_FINALIZE);
    const last = steps.at(-1);
    expect(steps.some((s) => s.kind === 'finalize')).toBe(false);
    expect(last).toMatchObject({ kind: 'done', summary: expect.stringMatching(/not finalized \(cluster.preserve_downgrade_option = '25.4'\), so it can still be rolled back.*--finalize/) });
  });

  it('does not finalize while one node still runs the old binary, even when asked', () => {
    const mixed = cluster('v26.2.0', [node(1, { binaryVersion: 'v26.2.0' }), node(2, { binaryVersion: 'v26.2.0' }), node(3, { pending: true })], { preserveDowngradeOption: '25.4' });
    expect(decideNextStep(mixed, { finalize: true })).toMatchObject({ kind: 'replace-node', node: 3 });
  });

  it('resumes an interrupted upgrade where it stopped (preserve set, node 1 done)', () => {
    const resumed = cluster('v26.2.0', [node(1, { binaryVersion: 'v26.2.0' }), node(2, { pending: true }), node(3, { pending: true })], { preserveDowngradeOption: '25.4' });
    expect(decideNextStep(resumed, NO_FINALIZE)).toMatchObject({ kind: 'replace-node', node: 2, toVersion: 'v26.2.0' });
  });

  it('rolls an unfinalized upgrade back the same way (configured version back to the cluster version), then resets the option', () => {
    const back = cluster('v25.4.0', [node(1, { binaryVersion: 'v26.2.0', pending: true }), node(2, { binaryVersion: 'v26.2.0', pending: true }), node(3)], { preserveDowngradeOption: '25.4' });
    expect(plannedSteps(back, NO_FINALIZE).map((s) => (s.kind === 'replace-node' ? `replace ${s.node} to ${s.toVersion}` : s.kind))).toEqual([
      'replace 1 to v25.4.0', 'replace 2 to v25.4.0', 'reset-preserve-downgrade', 'done',
    ]);
  });
});

describe('the drain of a node fits the cluster\'s drain settings (CockroachDB "Node shutdown")', () => {
  it('drains for the drain budget (initial_wait + connections.timeout + 2 x transactions.timeout + lease_transfer_iteration.timeout) plus a minute by default', () => {
    expect(decideNextStep(cluster('v25.4.1', allPending()), NO_FINALIZE)).toMatchObject({ kind: 'replace-node', drainWaitSeconds: 385 + 60 });
    // A cluster whose bootstrap predates the connections timeout: CockroachDB's defaults (0 s, 10 s, 5 s) and the 30 s initial wait.
    const old = cluster('v25.4.1', allPending(), { drain: { ...DRAIN, connectionsTimeoutSeconds: 0 } });
    expect(decideNextStep(old, NO_FINALIZE)).toMatchObject({ kind: 'replace-node', drainWaitSeconds: 55 + 60 });
  });

  it('refuses a --drain-wait that does not exceed the drain budget, and a cluster whose drain settings it cannot read', () => {
    expect(decideNextStep(cluster('v25.4.1', allPending()), { finalize: false, drainWaitSeconds: 300 })).toEqual({
      kind: 'refuse',
      reason: expect.stringContaining('--drain-wait 300 s does not fit a drain of this cluster (server.shutdown.initial_wait 30 s + connections.timeout 330 s + 2 x transactions.timeout 10 s + lease_transfer_iteration.timeout 5 s = 385 s'),
    });
    expect(decideNextStep(cluster('v25.4.1', allPending()), { finalize: false, drainWaitSeconds: 386 })).toMatchObject({ kind: 'replace-node', drainWaitSeconds: 386 });
    expect(decideNextStep(cluster('v25.4.1', allPending(), { drain: undefined }), NO_FINALIZE)).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('cannot read the cluster\'s drain settings') });
  });
});

describe('when the roll must stop and refuse', () => {
  it('a node whose load balancer target is not healthy (before the first node and between nodes)', () => {
    const registering = cluster('v25.4.1', [node(1, { binaryVersion: 'v25.4.1', loadBalancerTarget: { state: 'initial', reason: 'Elb.RegistrationInProgress' } }), node(2, { pending: true }), node(3, { pending: true })]);
    expect(decideNextStep(registering, NO_FINALIZE)).toEqual({
      kind: 'refuse',
      reason: "the cluster is not healthy, so no node may be taken down: node 1's load balancer target is initial (Elb.RegistrationInProgress), so clients cannot reach it",
    });
    const unknown = cluster('v25.4.1', [node(1, { loadBalancerTarget: { state: 'unknown', reason: 'AccessDenied' } }), node(2), node(3, { pending: true })]);
    expect(decideNextStep(unknown, NO_FINALIZE)).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('node 1\'s load balancer target is unknown (AccessDenied)') });
  });

  const refusal = (observation: ClusterObservation, options = NO_FINALIZE): string => {
    const step = decideNextStep(observation, options);
    if (step.kind !== 'refuse') throw new Error(`expected a refusal, got ${JSON.stringify(step)}`);
    return step.reason;
  };

  it('a node is not ready, not live, or draining (before the first node or between two)', () => {
    expect(refusal(cluster('v25.4.1', [node(1, { pending: true }), node(2, { ready: false }), node(3, { pending: true })]))).toMatch(/not healthy.*node 2 \(i-002\) is not ready/);
    expect(refusal(cluster('v25.4.1', [node(1, { pending: true }), node(2, { live: false }), node(3)]))).toMatch(/node 2 is not live in the cluster/);
    expect(refusal(cluster('v25.4.1', [node(1, { pending: true }), node(2, { draining: true }), node(3)]))).toMatch(/node 2 is draining/);
    expect(refusal(cluster('v25.4.1', [node(1, { pending: true }), node(2, { live: undefined }), node(3)]))).toMatch(/node 2 is not in crdb_internal.gossip_nodes/);
  });

  it('a range is under-replicated or unavailable', () => {
    expect(refusal(cluster('v25.4.1', allPending(), { underReplicatedRanges: 4 }))).toMatch(/4 ranges are under-replicated/);
    expect(refusal(cluster('v25.4.1', allPending(), { unavailableRanges: 1 }))).toMatch(/1 ranges are unavailable/);
  });

  it('no node answers SQL', () => {
    expect(refusal({ ...cluster('v25.4.1', allPending()), cluster: undefined })).toMatch(/no node answered SQL/);
  });

  it('the plain apply has not been made (a plain plan shows changes)', () => {
    expect(refusal({ ...cluster('v25.4.1', allPending()), planClean: false })).toMatch(/apply them first \(`cdktf deploy cockroach`/);
  });

  it('the upgrade skips a major version it may not skip, or goes back from a finalized version', () => {
    expect(refusal(cluster('v26.2.0', allPending(), { clusterVersion: '25.2' }))).toMatch(/cannot be rolled out: a cluster at v25.2 \(a Regular release\) can move only to v25.3 or v25.4/);
    expect(refusal(cluster('v25.4.1', allPending(), { clusterVersion: '26.1' }))).toMatch(/finalized at v26.1/);
  });

  it('the cluster is still finalizing, or preserve_downgrade_option names another version', () => {
    expect(refusal(cluster('v26.2.0', allPending(), { clusterVersion: '25.4-upgrading-to-26.1-step-004' }))).toMatch(/finalizing an upgrade/);
    expect(refusal(cluster('v26.2.0', allPending(), { preserveDowngradeOption: '25.3' }))).toMatch(/is '25.3', not the cluster version '25.4'/);
  });

  it('a node runs a version that is neither the cluster\'s nor the configured one, or state and cluster disagree', () => {
    expect(refusal(cluster('v25.4.1', [node(1, { pending: true }), node(2, { binaryVersion: 'v26.1.0' }), node(3)]))).toMatch(/node 2 runs v26.1.0, neither the cluster version v25.4 nor the configured v25.4.1/);
    expect(refusal(cluster('v25.4.1', [node(1, { binaryVersion: 'v25.4.1' }), node(2, { binaryVersion: 'v25.4.0' }), node(3, { binaryVersion: 'v25.4.1' })]))).toMatch(/node 2 runs v25.4.0, not v25.4.1, yet Terraform state records it as running its configured settings/);
  });

  it('the dry run shows the refusal as the last step and nothing after it', () => {
    const steps = plannedSteps(cluster('v25.4.1', allPending(), { underReplicatedRanges: 1 }), NO_FINALIZE);
    expect(steps.map((s) => s.kind)).toEqual(['refuse']);
  });
});

describe('a stack that is one region of a multi-region cluster: the other regions\' nodes (outside the stack) count', () => {
  const other = (nodeId: number, overrides: Partial<OtherNodeObservation> = {}): OtherNodeObservation => ({ nodeId, address: `10.20.${nodeId}.10:26257`, buildTag: 'v25.4.0', live: true, draining: false, ...overrides });
  const withOthers = (observation: ClusterObservation, others: OtherNodeObservation[]): ClusterObservation => ({ ...observation, otherNodes: others });

  it('takes no node down while a node of another region is not live or is draining: one node down in the whole cluster at a time', () => {
    const refused = decideNextStep(withOthers(cluster('v25.4.1', allPending()), [other(4), other(5, { live: false }), other(6, { draining: true })]), NO_FINALIZE);
    expect(refused).toEqual({
      kind: 'refuse',
      reason: expect.stringContaining("node 5 at 10.20.5.10:26257 (outside this stack: another region's) is not live; node 6 at 10.20.6.10:26257 (outside this stack: another region's) is draining"),
    });
    expect(decideNextStep(withOthers(cluster('v25.4.1', allPending()), [other(4), other(5), other(6)]), NO_FINALIZE)).toMatchObject({ kind: 'replace-node', node: 1 });
  });

  it('finalizes a major upgrade only once every node of the cluster runs the new version, even when asked', () => {
    const upgraded = [1, 2, 3].map((n) => node(n, { binaryVersion: 'v26.2.0' }));
    const observation = cluster('v26.2.0', upgraded, { preserveDowngradeOption: '25.4' });
    const notYet = decideNextStep(withOthers(observation, [other(4, { buildTag: 'v26.2.0' }), other(5)]), { finalize: true });
    expect(notYet).toEqual({ kind: 'done', summary: expect.stringMatching(/^every node of this stack runs v26.2; node 5 at 10.20.5.10:26257 runs v25.4.0 outside this stack .*roll their stacks/) });
    expect(decideNextStep(withOthers(observation, [other(4, { buildTag: 'v26.2.0' }), other(5, { buildTag: 'v26.2.1' })]), { finalize: true })).toEqual({ kind: 'finalize', version: '26.2' });
  });

  it('keeps cluster.preserve_downgrade_option while another region still runs the newer binary of a rolled-back upgrade', () => {
    const rolledBack = cluster('v25.4.0', [1, 2, 3].map((n) => node(n)), { preserveDowngradeOption: '25.4' });
    expect(decideNextStep(withOthers(rolledBack, [other(4, { buildTag: 'v26.2.0' })]), NO_FINALIZE)).toEqual({ kind: 'done', summary: expect.stringContaining("cluster.preserve_downgrade_option stays '25.4' while node 4 at 10.20.4.10:26257 runs v26.2.0") });
    expect(decideNextStep(withOthers(rolledBack, [other(4)]), NO_FINALIZE)).toEqual({ kind: 'reset-preserve-downgrade', version: '25.4' });
  });
});

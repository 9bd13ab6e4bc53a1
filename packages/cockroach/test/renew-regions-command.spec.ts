import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { main } from '../src/ops';
import { RenewalWorld, renewalChanges } from './renewal-world';

// `npm run renew-certificates` over two regions (issue 24), the shipped command against the stubs:
// the renewal world (us-east-1, the primary: nodes 1-3, the PKI and Ory) plus us-east-2's cockroach
// stack (nodes 4-6) with its own operations role, its nodes reading replicas of their secrets.
const TIMEOUT = 240_000;
const EAST2_ROLE_ARN = 'arn:aws:iam::123456789012:role/crdb-ory-us-east-2-cockroach-operator';
const PRIMARY_IDS = [1, 2, 3].map((n) => `i-0c00000000000000${n}`);
const EAST2_IDS = [4, 5, 6].map((n) => `i-0d00000000000000${n}`);
const daysLeft = (pem: string): number => (new Date(new X509Certificate(pem).validTo).getTime() - Date.now()) / 86_400_000;
const changes = renewalChanges;

function twoRegions(replicaLag: number): { world: RenewalWorld; stackDirs: string } {
  const world = new RenewalWorld({ leafDays: 10 });
  const east2 = world.addRenewalRegion('us-east-2', { replicaLag });
  return { world, stackDirs: `cdktf.out/stacks/cockroach,${east2}` };
}

describe('renew-certificates against stubs: two regions, each with its own operations role', () => {
  const { world, stackDirs } = twoRegions(2);

  it('refuses before anything changes when one session cannot be every region\'s operations role, saying to give a profile per stack', () => {
    const result = world.renew('--yes', '--stack-dir', stackDirs);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cdktf.out/stacks/cockroach-us-east-2 (us-east-2): runs as the operations role ${EAST2_ROLE_ARN}, the only principal allowed to run commands on the nodes; you are arn:aws:sts::123456789012:assumed-role/crdb-ory-cockroach-operator/alice`);
    expect(result.stderr).toContain('give one AWS CLI profile per stack, each assuming that stack\'s role, with --aws-profile');
    expect(changes(world)).toEqual([]);
    expect(world.calls().filter((c) => c.startsWith('terraform') && / (plan|apply) /.test(c))).toEqual([]);
  }, TIMEOUT);

  it('--dry-run checks every session and the replicas published in us-east-2, prints the plan for both regions, changes nothing', () => {
    const result = world.renew('--dry-run', '--stack-dir', stackDirs, '--aws-profile', 'ops-primary,ops-us-east-2');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Running as arn:aws:sts::123456789012:assumed-role/crdb-ory-cockroach-operator/alice; command output is logged to /crdb-ory/cockroach/operations.');
    expect(result.stdout).toContain('Running as arn:aws:sts::123456789012:assumed-role/crdb-ory-us-east-2-cockroach-operator/alice; command output is logged to /crdb-ory-us-east-2/cockroach/operations.');
    expect(result.stdout).toContain('Regions in renewal order (the primary region us-east-1 first): us-east-1 (cdktf.out/stacks/cockroach), us-east-2 (cdktf.out/stacks/cockroach-us-east-2)');
    expect(result.stdout).toContain('re-issues 11:');
    expect(result.stdout).toContain('   us-east-2: would wait (at most 600 s) until the 4 replicas its nodes read there (published under /crdb-ory-us-east-2/) hold the renewed values, then:');
    expect(result.stdout).toContain(`3.4 would refresh node 1 in us-east-2 (${EAST2_IDS[0]})`);
    expect(result.stdout).toContain(`3.6 would refresh node 3 in us-east-2 (${EAST2_IDS[2]})`);
    expect(changes(world)).toEqual([]);
  }, TIMEOUT);

  it('--yes: cockroach-pki, the primary region\'s nodes, then us-east-2\'s once its replicas caught up, one at a time, then ory', () => {
    const result = world.renew('--yes', '--stack-dir', stackDirs, '--aws-profile', 'ops-primary,ops-us-east-2');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(changes(world)).toEqual(['apply cockroach-pki', ...PRIMARY_IDS.map((id) => `refresh ${id}`), ...EAST2_IDS.map((id) => `refresh ${id}`), 'apply ory']);
    // It waited: the replicas answered their old values twice (the lag) before the first node of us-east-2 went.
    const calls = world.calls();
    const firstEast2 = calls.findIndex((c) => c.includes(`--instance-ids ${EAST2_IDS[0]} `));
    const replicaReads = calls.slice(0, firstEast2).filter((c) => c.startsWith('aws secretsmanager get-secret-value --secret-id arn:aws:secretsmanager:us-east-2:123456789012:secret:crdb-ory/cockroach/us-east-2/node-1-AbCdEf'));
    expect(replicaReads).toHaveLength(3);
    expect(result.stdout).toMatch(/3\.3 node 3 \(i-0c000000000000003\)[^\n]*\n {3}us-east-2: the 4 replicas its nodes read hold the renewed values\n3\.4 node 1 in us-east-2 \(i-0d000000000000004\): node certificates changed: cockroach re-read them \(SIGHUP\); ready/);
    for (const n of [1, 2, 3]) {
      const onNode = world.nodeFile(3 + n, 'var/lib/cockroach/certs/node.crt');
      expect(onNode.trim()).toBe(world.secretIn(`us-east-2/node-${n}`, 'us-east-2')['node.crt']?.trim());
      expect(onNode.trim()).toBe(world.secret(`us-east-2/node-${n}`)['node.crt']?.trim());
      expect(daysLeft(onNode)).toBeGreaterThan(360);
    }
    expect(result.stdout).toMatch(/Done: the nodes and hydra, kratos, keto present the renewed certificates/);
  }, TIMEOUT);
});

describe('renew-certificates against stubs: a region whose replicas do not catch up', () => {
  it('stops after the primary region\'s nodes and before any node of that region, and before Ory (--replica-timeout)', () => {
    const { world, stackDirs } = twoRegions(1_000_000);
    const result = world.renew('--yes', '--stack-dir', stackDirs, '--aws-profile', 'ops-primary,ops-us-east-2', '--replica-timeout', '1');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('stopped before refreshing the nodes in us-east-2: 4 replica secret(s) there still hold other values than in us-east-1 after 1 s');
    expect(result.stderr).toContain('Renewed already: every node in us-east-1. Not done: the nodes in us-east-2, Ory');
    expect(changes(world)).toEqual(['apply cockroach-pki', ...PRIMARY_IDS.map((id) => `refresh ${id}`)]);
    expect(daysLeft(world.nodeFile(4, 'var/lib/cockroach/certs/node.crt'))).toBeLessThan(11);
  }, TIMEOUT);
});

describe('renew-certificates against stubs: every region\'s Ory (one --ory-stack-dir per --stack-dir)', () => {
  it('--yes: after every region\'s nodes, ory, then ory-us-east-2 once the replicas of the client certificate secrets there caught up; each verified in its region', () => {
    const world = new RenewalWorld({ leafDays: 10 });
    const east2 = world.addRenewalRegion('us-east-2', { replicaLag: 2, ory: true });
    const before = world.parameter('/crdb-ory-us-east-2/ory/presented-certificates/hydra');
    const result = world.renew('--yes', '--stack-dir', `cdktf.out/stacks/cockroach,${east2}`, '--aws-profile', 'ops-primary,ops-us-east-2', '--ory-stack-dir', 'cdktf.out/stacks/ory,cdktf.out/stacks/ory-us-east-2');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(changes(world)).toEqual(['apply cockroach-pki', ...PRIMARY_IDS.map((id) => `refresh ${id}`), ...EAST2_IDS.map((id) => `refresh ${id}`), 'apply ory', 'apply ory-us-east-2']);
    expect(result.stdout).toContain('   us-east-2: the 3 replicas its Ory reads hold the renewed values\n4.2 ory-us-east-2: planning\n');
    // ory-us-east-2 was applied with us-east-2's operations role.
    expect(world.calls().filter((c) => c.startsWith('terraform -chdir=') && c.includes('ory-us-east-2 apply'))).toHaveLength(1);
    for (const service of ['hydra', 'kratos', 'keto']) {
      const presented = world.parameter(`/crdb-ory-us-east-2/ory/presented-certificates/${service}`);
      expect(presented, service).toContain(world.secretIn(`client-${service}`, 'us-east-2')[`client.${service}.crt`]?.trim());
      expect(presented).toContain(world.secret(`client-${service}`)[`client.${service}.crt`]?.trim());
      expect(result.stdout).toMatch(new RegExp(`${service} in us-east-2 presents its client certificate from Secrets Manager, valid until `));
    }
    expect(world.parameter('/crdb-ory-us-east-2/ory/presented-certificates/hydra')).not.toBe(before);
    expect(result.stdout).toMatch(/Done: the nodes and hydra, kratos, keto present the renewed certificates in ory, ory-us-east-2;/);
  }, TIMEOUT);

  it('refuses an ory stack count that is neither one nor one per --stack-dir (exit 2, before anything is read)', async () => {
    const err: string[] = [];
    expect(await main(['renew-certificates', '--yes', '--stack-dir', 'a,b,c', '--ory-stack-dir', 'x,y'], () => undefined, (t) => err.push(t))).toBe(2);
    expect(err[0]?.split('\n')[0]).toBe('crdb-ory-cockroach: --ory-stack-dir "x,y": give one ory stack per --stack-dir stack, in the same order (3: a, b, c), or the primary region\'s only');
  });
});

describe('the command line of a multi-region renewal (usage errors, exit 2, before anything is read)', () => {
  it('refuses --region with several stacks, --primary-region with one, a profile count that is not one per stack, --replica-timeout with one stack', async () => {
    const err: string[] = [];
    const run = (...args: string[]) => main(args, () => undefined, (t) => err.push(t));
    expect(await run('renew-certificates', '--yes', '--stack-dir', 'a,b', '--region', 'us-east-1')).toBe(2);
    expect(await run('renew-certificates', '--yes', '--primary-region', 'us-east-1')).toBe(2);
    expect(await run('renew-certificates', '--yes', '--stack-dir', 'a,b', '--aws-profile', 'ops')).toBe(2);
    expect(await run('roll', '--yes', '--stack-dir', 'a,b,c', '--aws-profile', 'p1,p2')).toBe(2);
    expect(await run('renew-certificates', '--yes', '--replica-timeout', '60')).toBe(2);
    expect(err.map((e) => e.split('\n')[0])).toEqual([
      "crdb-ory-cockroach: --region applies to one stack: with several --stack-dir stacks each is renewed in its own stack's region",
      "crdb-ory-cockroach: --primary-region orders several stacks: give the regions' cockroach stacks in --stack-dir, comma-separated",
      'crdb-ory-cockroach: --aws-profile "ops": give one AWS CLI profile per --stack-dir stack, in the same order (2: a, b)',
      'crdb-ory-cockroach: --aws-profile "p1,p2": give one AWS CLI profile per --stack-dir stack, in the same order (3: a, b, c)',
      "crdb-ory-cockroach: --replica-timeout applies to the other regions' replica secrets: give every region's cockroach stack in --stack-dir, comma-separated",
    ]);
  });
});

import type { Leftover } from '@crdb-ory/teardown';
import { describe, expect, it } from 'vitest';
import {
  type AccountLeftovers,
  SCENARIOS,
  accountLeftoverProblems,
  providerRegion,
  resourceRegion,
  stackRegions,
  notRehearsed,
  rehearsalPlanInput,
  rehearsalTasks,
  rehearsedGraph,
  rehearsedStack,
  selectEnvironments,
  taskId,
} from '../src';

import { MULTI_REGION_STACK_GRAPH, STACK_GRAPH } from './stack-graph';

/** A stack's region as the rehearsal reads it from its provider: the suffix of a regional name, else the primary region. */
const regionOf = (name: string) => /-((?:us|eu)-[a-z]+-\d)$/.exec(name)?.[1] ?? 'us-east-1';
const CRDB_ORY = rehearsedGraph(STACK_GRAPH, () => 'us-east-1');
const STAGING = rehearsedGraph(MULTI_REGION_STACK_GRAPH, regionOf);
const TASKS = rehearsalTasks(
  rehearsalPlanInput(
    [
      { name: 'crdb-ory', stacks: CRDB_ORY },
      { name: 'staging', stacks: STAGING },
    ],
    SCENARIOS,
  ),
);
const task = (id: string) => {
  const found = TASKS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
};

describe('the multi-region app\'s stacks in the rehearsal', () => {
  it('rehearses each region\'s stacks as their single-region stack, under their regional names', () => {
    for (const [name, base, mode] of [
      ['network-us-east-2', 'network', 'applied'],
      ['cockroach-backup-us-east-2', 'cockroach-backup', 'applied'],
      ['cockroach-us-west-2', 'cockroach', 'applied'],
      ['eks-us-east-1', 'eks', 'applied'],
      ['cockroach-pki', 'cockroach-pki', 'seeded'],
      ['state', 'state', 'applied'],
    ] as const) {
      expect(rehearsedStack(name)).toMatchObject({ name, base, mode });
    }
    // eks-<region> drops the EKS APIs moto lacks, as eks does.
    const eks = rehearsedStack('eks-us-east-2')?.prepare({ provider: { aws: [{ region: 'us-east-2' }] }, resource: { aws_eks_addon: { a: {} }, aws_eks_cluster: { c: {} } } });
    expect(eks?.stack['resource']).toEqual({ aws_eks_cluster: { c: {} } });
  });

  it('applies the two global stacks only the multi-region app has, as synthesized', () => {
    for (const name of ['inter-region', 'ory-shared-secrets']) {
      const definition = rehearsedStack(name);
      expect(definition).toMatchObject({ name, base: name, mode: 'applied' });
      const stack = { provider: { aws: [{ region: 'us-east-1' }] }, resource: { aws_vpc_peering_connection: { p: {} } } };
      expect(definition?.prepare(stack)).toEqual({ stack, adaptations: [] });
    }
  });

  it('names why each region\'s ory stack and the public DNS stack are not rehearsed, and refuses a stack it does not know', () => {
    expect(rehearsedStack('ory-us-east-2')).toBeUndefined();
    expect(notRehearsed('ory-us-east-2')?.why).toMatch(/kubernetes, helm and random providers are not installable here/);
    expect(notRehearsed('ory-public-dns')?.why).toMatch(/only with a domain .* moto answers no DNS query and passes every health check/);
    expect(STAGING.map((stack) => stack.name)).toEqual(MULTI_REGION_STACK_GRAPH.map((stack) => stack.name).filter((name) => !name.startsWith('ory-us-')));
    expect(() => rehearsedGraph([...MULTI_REGION_STACK_GRAPH, { name: 'dns-failover', dependencies: [] }], regionOf)).toThrow(/stack dns-failover: the rehearsal knows neither how to rehearse it nor why it cannot/);
  });

  it('finds the same stack of another environment by its single-region name and region', () => {
    expect(STAGING.find((stack) => stack.name === 'network-us-east-1')?.sameAs).toBe(CRDB_ORY.find((stack) => stack.name === 'network')?.sameAs);
    expect(STAGING.find((stack) => stack.name === 'network-us-east-2')?.sameAs).toBe('network@us-east-2');
    expect(STAGING.find((stack) => stack.name === 'cockroach-pki')?.sameAs).toBe('cockroach-pki@us-east-1');
  });
});

describe('the schedule with the multi-region environment', () => {
  it('deploys each us-east-1 stack after crdb-ory\'s same stack, and the other regions\' stacks without waiting for crdb-ory', () => {
    expect(task(taskId.deploy('staging', 'network-us-east-1')).needs).toEqual([taskId.deploy('staging', 'state'), taskId.deploy('crdb-ory', 'network')]);
    expect(task(taskId.deploy('staging', 'cockroach-us-east-1')).needs).toContain(taskId.deploy('crdb-ory', 'cockroach'));
    expect(task(taskId.deploy('staging', 'cockroach-backup-us-east-1')).needs).toContain(taskId.deploy('crdb-ory', 'cockroach-backup'));
    for (const stack of ['network-us-east-2', 'network-us-west-2', 'eks-us-east-2', 'cockroach-backup-us-east-2', 'inter-region', 'ory-shared-secrets']) {
      expect(task(taskId.deploy('staging', stack)).needs?.filter((id) => id.startsWith('crdb-ory '))).toEqual([]);
    }
  });

  it('deploys the regions in parallel along the graph: each region\'s network right after state', () => {
    for (const region of ['us-east-2', 'us-west-2']) expect(task(taskId.deploy('staging', `network-${region}`)).needs).toEqual([taskId.deploy('staging', 'state')]);
    expect(task(taskId.deploy('staging', 'inter-region')).needs).toEqual(['state', 'network-us-east-1', 'network-us-east-2', 'network-us-west-2'].map((stack) => taskId.deploy('staging', stack)));
  });

  it('plans the third environment once staging\'s us-east-1 network holds its Elastic IPs, and tears staging down after it', () => {
    expect(task(taskId.scenario('third-environment')).needs).toContain(taskId.deploy('staging', 'network-us-east-1'));
    expect(task(taskId.scenario('third-environment')).needs?.filter((id) => id.startsWith('staging '))).toEqual([taskId.deploy('staging', 'network-us-east-1')]);
    expect(task(taskId.teardown('staging')).after).toContain(taskId.scenario('third-environment'));
    for (const stack of STAGING) expect(task(taskId.teardown('staging')).after).toEqual(expect.arrayContaining([taskId.deploy('staging', stack.name), taskId.replan('staging', stack.name)]));
  });

  it('tears crdb-ory down once staging\'s same stacks in us-east-1 are deployed, not waiting for the other regions\'', () => {
    const after = task(taskId.teardown('crdb-ory')).after ?? [];
    for (const stack of ['state', 'network-us-east-1', 'cockroach-pki', 'cockroach-backup-us-east-1', 'cockroach-us-east-1', 'eks-us-east-1']) expect(after).toEqual(expect.arrayContaining([taskId.deploy('staging', stack), taskId.replan('staging', stack)]));
    for (const stack of ['network-us-east-2', 'cockroach-us-west-2', 'inter-region', 'ory-shared-secrets']) expect(after.filter((id) => id.endsWith(` ${stack}`))).toEqual([]);
  });

  it('runs only later environments without a baseline: no vCPU stop, no move, no changed configuration (--environments staging)', () => {
    const tasks = rehearsalTasks(rehearsalPlanInput([{ name: 'staging', fromBaseline: false, stacks: STAGING }], SCENARIOS));
    expect(tasks.filter((candidate) => !['deploy', 're-plan', 'teardown'].includes(candidate.kind))).toEqual([]);
    expect(tasks.find((candidate) => candidate.id === taskId.deploy('staging', 'network-us-east-1'))?.needs).toEqual([taskId.deploy('staging', 'state')]);
    expect(tasks.find((candidate) => candidate.id === taskId.teardown('staging'))?.after).toHaveLength(2 * STAGING.length);
  });

  it('selects environments by name for --environments, and names the allowed ones for an unknown one', () => {
    expect((selectEnvironments(['staging']) as Array<{ name: string }>).map((environment) => environment.name)).toEqual(['staging']);
    expect((selectEnvironments(['staging', 'crdb-ory']) as Array<{ name: string }>).map((environment) => environment.name)).toEqual(['crdb-ory', 'staging']);
    expect(selectEnvironments(['prod'])).toBe('--environments "prod": no environment "prod"; allowed are crdb-ory, staging (comma-separated)');
  });
});

describe('regions of stacks and resources', () => {
  const pki = {
    provider: { aws: [{ region: 'us-east-1' }, { alias: 'us-east-2', region: 'us-east-2' }, { alias: 'us-west-2', region: 'us-west-2' }] },
    resource: { aws_kms_key: { 'kms-key': {}, 'us-east-2-kms-key': { provider: 'aws.us-east-2' } } },
  };

  it('reads the default provider\'s region, an aliased resource\'s region, and every region a stack reaches', () => {
    expect(providerRegion(pki)).toBe('us-east-1');
    expect(resourceRegion(pki, 'aws_kms_key.kms-key')).toBe('us-east-1');
    expect(resourceRegion(pki, 'aws_kms_key.us-east-2-kms-key')).toBe('us-east-2');
    expect(stackRegions(pki)).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    expect(() => resourceRegion(pki, 'aws_kms_key.nope')).toThrow(/no resource aws_kms_key.nope/);
    expect(() => providerRegion(pki, 'aws.eu-west-1')).toThrow(/provider "eu-west-1" names no region/);
  });
});

describe('what stays, across regions', () => {
  const leftover = (kind: Leftover['kind'], name: string, region: string) => ({ kind, stack: 's', address: 'a.b', name, monthlyUsd: 0, note: '', region });
  const empty = { buckets: [], snapshots: [], kmsKeys: [], kmsAliases: [], secrets: [], logGroups: [], loadBalancers: [], targetGroups: [], clusters: [], instances: [], volumes: [], vpcs: [], eips: [], roles: [], topics: [], alarms: [], dashboards: [], hostedZones: [] };
  const listing = (region: string, overrides: Partial<AccountLeftovers> = {}) => ({ region, leftovers: { ...empty, ...overrides } as AccountLeftovers });
  const EXPECTED = [
    leftover('bucket', 'crdb-ory-backups-<account>-<region>', 'us-east-1'),
    leftover('kms-key-pending-deletion', 'alias/staging-cockroach-pki', 'us-east-1'),
    leftover('kms-key-pending-deletion', 'alias/staging-cockroach-pki', 'us-east-2'),
    leftover('secret-in-recovery-window', 'staging/cockroach/us-east-2/node-1', 'us-east-1'),
  ];
  // S3 lists every bucket of the account from any region; IAM and Route 53 are global.
  const everywhere = { buckets: ['crdb-ory-backups-123456789012-us-east-1'], roles: [], hostedZones: [] };
  // A destroyed alias is gone; its key waits out its deletion window.
  const pending = { kmsKeys: [{ id: 'k', state: 'PendingDeletion', description: 'pki' }], kmsAliases: [] };

  it('matches each region\'s listing with what stays there, and the global listings once', () => {
    const listings = [listing('us-east-1', { ...everywhere, ...pending, secrets: [{ name: 'staging/cockroach/us-east-2/node-1', deleted: true }] }), listing('us-east-2', { ...everywhere, ...pending }), listing('us-west-2', everywhere)];
    expect(accountLeftoverProblems(EXPECTED, listings, '123456789012')).toEqual([]);
  });

  it('names the region of every difference, and a region that stays something but was not listed', () => {
    const listings = [
      listing('us-east-1', { ...everywhere, ...pending, secrets: [{ name: 'staging/cockroach/us-east-2/node-1', deleted: true }] }),
      // The replica of the secret stayed in us-east-2, and the key there was never scheduled for deletion.
      listing('us-east-2', { ...everywhere, kmsKeys: [{ id: 'k', state: 'Enabled', description: 'pki' }], kmsAliases: [], secrets: [{ name: 'staging/cockroach/us-east-2/node-1', deleted: false }] }),
    ];
    expect(accountLeftoverProblems([...EXPECTED, leftover('log-group', '/aws/x', 'us-west-2')], listings, '123456789012')).toEqual([
      'us-west-2: stays per the dry runs, but was not listed',
      'us-east-2: KMS keys not pending deletion: expected 0, found 1: ["Enabled: pki"]',
      'us-east-2: KMS keys pending deletion: expected 1, found 0: []',
      'us-east-2: secrets not deleted: expected [], found ["staging/cockroach/us-east-2/node-1"]',
    ]);
  });
});

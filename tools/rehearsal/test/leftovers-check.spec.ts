import type { Leftover } from '@crdb-ory/teardown';
import { describe, expect, it } from 'vitest';
import { type AccountLeftovers, leftoverProblems } from '../src';

const leftover = (kind: Leftover['kind'], name: string): Leftover => ({ kind, stack: 's', address: 'a.b', name, monthlyUsd: 0, note: '' });
const EXPECTED: Leftover[] = [
  leftover('bucket', 'crdb-ory-backups-<account>-<region>'),
  leftover('kms-key', 'alias/crdb-ory-cockroach-backups'),
  leftover('kms-key-pending-deletion', 'alias/crdb-ory-cockroach-pki'),
  leftover('snapshot', 'crdb-ory-cockroach-node-1-data'),
  leftover('secret-in-recovery-window', 'crdb-ory/cockroach/node-1'),
];
const empty = { loadBalancers: [], targetGroups: [], clusters: [], instances: [], volumes: [], vpcs: [], eips: [], roles: [], topics: [], alarms: [], dashboards: [], hostedZones: [] };
const account = (overrides: Partial<AccountLeftovers> = {}): AccountLeftovers => ({
  buckets: ['crdb-ory-backups-123456789012-us-east-1'],
  snapshots: [{ id: 'snap-1', tags: { Name: 'crdb-ory-cockroach-node-1-data' } }],
  kmsKeys: [
    { id: 'k1', state: 'Enabled', description: 'backups' },
    { id: 'k2', state: 'PendingDeletion', description: 'pki' },
  ],
  kmsAliases: ['alias/crdb-ory-cockroach-backups'],
  secrets: [{ name: 'crdb-ory/cockroach/node-1', deleted: true }],
  logGroups: [],
  ...empty,
  ...overrides,
});
const PLACEHOLDERS = { '<account>': '123456789012', '<region>': 'us-east-1' };

describe('what stays, against the account', () => {
  it('matches exactly what the dry run listed', () => {
    expect(leftoverProblems(EXPECTED, account(), PLACEHOLDERS)).toEqual([]);
  });

  it('names every difference: a bucket too many, a key not scheduled, a secret not deleted, anything else left', () => {
    const problems = leftoverProblems(
      EXPECTED,
      account({
        buckets: ['crdb-ory-backups-123456789012-us-east-1', 'crdb-ory-tfstate-123456789012-us-east-1'],
        kmsKeys: [
          { id: 'k1', state: 'Enabled', description: 'backups' },
          { id: 'k2', state: 'Enabled', description: 'pki' },
        ],
        secrets: [{ name: 'crdb-ory/cockroach/node-1', deleted: false }],
        loadBalancers: ['crdb-ory-sql'],
      }),
      PLACEHOLDERS,
    );
    expect(problems).toEqual([
      'buckets: expected ["crdb-ory-backups-123456789012-us-east-1"], found ["crdb-ory-backups-123456789012-us-east-1","crdb-ory-tfstate-123456789012-us-east-1"]',
      'KMS keys not pending deletion: expected 1, found 2: ["Enabled: backups","Enabled: pki"]',
      'KMS keys pending deletion: expected 1, found 0: []',
      'secrets in their recovery window: expected ["crdb-ory/cockroach/node-1"], found []',
      'secrets not deleted: expected [], found ["crdb-ory/cockroach/node-1"]',
      'loadBalancers: expected [], found ["crdb-ory-sql"]',
    ]);
  });
});

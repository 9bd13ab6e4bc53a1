import { type TeardownPlan, main, planTeardown, readTeardownInput } from '@crdb-ory/teardown';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT, synthesizeTo, withOperatorAccess } from './helpers';

function planFor(config: unknown, deleteData: boolean): TeardownPlan {
  return planTeardown(readTeardownInput(synthesizeTo(config)), { deleteData });
}

const changesOf = (plan: TeardownPlan) => plan.stacks.flatMap((s) => s.changes.map((c) => `${s.stack.name} ${c.address.split('.')[0]}.${c.attribute} = ${JSON.stringify(c.to)}`));
const keptOf = (plan: TeardownPlan) => plan.stacks.flatMap((s) => s.kept.map((k) => `${s.stack.name} ${k.address.split('.')[0]}`));
const leftoverCounts = (plan: TeardownPlan) => Object.fromEntries([...new Set(plan.leftovers.map((l) => l.kind))].map((kind) => [kind, plan.leftovers.filter((l) => l.kind === kind).length]));

describe('the teardown of the synthesized stacks', () => {
  it('by default: destroys dependants first, turns off what stands in the way, keeps the backups and their key, snapshots the data volumes', () => {
    const plan = planFor(withOperatorAccess({}), false);
    expect(plan.stacks.map((s) => s.stack.name)).toEqual(['ory', 'cockroach', 'cockroach-backup', 'cockroach-pki', 'eks', 'network', 'state']);
    expect(changesOf(plan)).toEqual(['cockroach aws_lb.enable_deletion_protection = false', 'state aws_s3_bucket.force_destroy = true']);
    expect(keptOf(plan)).toEqual([
      'cockroach-backup aws_s3_bucket',
      'cockroach-backup aws_s3_bucket_lifecycle_configuration',
      'cockroach-backup aws_s3_bucket_ownership_controls',
      'cockroach-backup aws_s3_bucket_policy',
      'cockroach-backup aws_s3_bucket_public_access_block',
      'cockroach-backup aws_s3_bucket_server_side_encryption_configuration',
      'cockroach-backup aws_s3_bucket_versioning',
      'cockroach-backup aws_kms_key',
      'cockroach-backup aws_kms_alias',
    ]);
    // The backup alarms go: nothing would watch the backups of a deleted environment.
    expect(plan.stacks.find((s) => s.stack.name === 'cockroach-backup')?.destroyed.map((a) => a.split('.')[0])).toEqual(['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm']);
    expect(leftoverCounts(plan)).toEqual({ snapshot: 3, bucket: 1, 'kms-key': 1, 'kms-key-pending-deletion': 6, 'secret-in-recovery-window': 8 });
    expect(plan.leftovers.filter((l) => l.kind === 'secret-in-recovery-window').map((l) => l.days)).toEqual(Array(8).fill(7));
    expect(plan.leftovers.find((l) => l.kind === 'bucket')?.name).toBe('crdb-ory-backups-<account>-<region>');
  });

  it('with --delete-data: no final snapshot, the backup bucket emptied and deleted, its key scheduled for deletion; nothing kept', () => {
    const plan = planFor(withOperatorAccess({}), true);
    expect(changesOf(plan)).toEqual([
      'cockroach aws_lb.enable_deletion_protection = false',
      'cockroach aws_ebs_volume.final_snapshot = false',
      'cockroach aws_ebs_volume.final_snapshot = false',
      'cockroach aws_ebs_volume.final_snapshot = false',
      'cockroach-backup aws_s3_bucket.force_destroy = true',
      'state aws_s3_bucket.force_destroy = true',
    ]);
    expect(keptOf(plan)).toEqual([]);
    expect(leftoverCounts(plan)).toEqual({ 'kms-key-pending-deletion': 7, 'secret-in-recovery-window': 8 });
  });

  it('keeps backups under Object Lock COMPLIANCE even with --delete-data (nobody can delete them early), and deletes GOVERNANCE ones', () => {
    const compliance = planFor(withOperatorAccess({ cockroach: { backup: { objectLock: { mode: 'COMPLIANCE', days: 14 } } } }), true);
    expect(compliance.stacks.find((s) => s.stack.name === 'cockroach-backup')?.kept[0]?.why).toMatch(/COMPLIANCE keeps every backup 14 days/);
    const governance = planFor(withOperatorAccess({ cockroach: { backup: { objectLock: { mode: 'GOVERNANCE', days: 14 } } } }), true);
    expect(changesOf(governance)).toContain('cockroach-backup aws_s3_bucket.force_destroy = true');
  });

  it('tears down a deployment without backups and with the S3 backend the same way, the state stack last', () => {
    const plan = planFor({ stateBackend: { type: 's3', bucket: 'acme-tfstate' }, cockroach: { backup: { enabled: false, disabledReason: 'a test environment' } }, eks: { endpointPrivateAccessCidrs: ['10.99.0.0/16'] } }, false);
    expect(plan.stacks.map((s) => s.stack.name)).toEqual(['ory', 'cockroach', 'cockroach-pki', 'eks', 'network', 'state']);
    expect(keptOf(plan)).toEqual([]);
  });

  it('prints the dry run: the order, each setting turned off and why, what stays and what it costs per month', async () => {
    const outdir = synthesizeTo(withOperatorAccess({}));
    let text = '';
    expect(await main(['--dry-run', '--outdir', outdir], (t) => (text += t), (t) => (text += t))).toBe(0);
    expect(text).toMatch(/^Teardown of 7 stacks, dependants first/);
    expect(text).toContain('  2. cockroach: destroy 83 resources; each of the 3 data volumes gets a final snapshot first');
    expect(text).toMatch(/targeted apply sets aws_lb\.sql-load-balancer_nlb_\w+\.enable_deletion_protection = false: AWS refuses to delete a load balancer while its deletion protection is on/);
    expect(text).toMatch(/keep aws_s3_bucket\.backups_bucket_\w+ \(it holds the backups; --delete-data deletes them\) and 8 resources with it/);
    expect(text).toContain('  - 3 final EBS snapshots of the data volumes (cockroach: crdb-ory-cockroach-node-1-data, crdb-ory-cockroach-node-2-data, crdb-ory-cockroach-node-3-data): up to $75.00 ($0.05 per GB, 1500 GB at most)');
    expect(text).toContain('  - 8 secrets in their recovery window (cockroach-pki: crdb-ory/cockroach/client-hydra');
    expect(text).toContain('  - log groups: none');
    expect(text).toContain('What stays costs $1.00 per month, plus up to $75.00 for the snapshots, plus $0.023 per GB in crdb-ory-backups-<account>-<region>.');
    expect(text).toMatch(/Dry run: nothing was changed/);
  });

  it('is what the runbook shows for the defaults (each line, or the start of it where the runbook elides the rest)', async () => {
    const outdir = synthesizeTo(undefined);
    let text = '';
    await main(['--dry-run', '--outdir', outdir], (t) => (text += t));
    const printed = text.split('\n');
    const runbook = readFileSync(join(WORKSPACE_ROOT, 'docs/operations.md'), 'utf8');
    const sample = /## Tear down an environment[\s\S]*?```text\n([\s\S]*?)```/.exec(runbook)?.[1]?.trimEnd().split('\n') ?? [];
    expect(sample.length).toBeGreaterThan(15);
    const missing = sample.filter((line) => {
      const elided = line.indexOf('...');
      return elided < 0 ? !printed.includes(line) : !printed.some((candidate) => candidate.startsWith(line.slice(0, elided)));
    });
    expect(missing).toEqual([]);
  });
});

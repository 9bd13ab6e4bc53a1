import type { SynthesizedResource } from '@crdb-ory/core';
import { STATE_STACK_NAME } from '@crdb-ory/state';
import { destroyOrder } from './destroy-order';
import { type Leftover, leftoversOf } from './leftovers';
import { blocks, managedResources, refersTo } from './stack-json';
import type { TeardownStack } from './teardown-input';

export interface TeardownOptions {
  /**
   * Delete the data too: the backup buckets with every backup (force_destroy), their KMS keys, and
   * no final snapshot of the data volumes. @default false: backups and final snapshots stay
   */
  readonly deleteData: boolean;
}

/** A production safety setting turned off for this environment only, by a targeted apply just before the destroy. */
export interface SettingChange {
  readonly address: string;
  readonly attribute: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly why: string;
}

/** A resource the teardown keeps: removed from Terraform's state (`terraform state rm`), left as it is in AWS. */
export interface KeptResource {
  readonly address: string;
  readonly why: string;
}

export interface StackTeardownPlan {
  readonly stack: TeardownStack;
  readonly changes: readonly SettingChange[];
  readonly kept: readonly KeptResource[];
  /** Addresses `terraform destroy` deletes (every declared resource but the kept ones). */
  readonly destroyed: readonly string[];
}

export interface TeardownPlan {
  /** Dependants first, as `cdktf destroy '*'` orders them. */
  readonly stacks: readonly StackTeardownPlan[];
  /** What stays in the account after the teardown, with what it costs. */
  readonly leftovers: readonly Leftover[];
  readonly options: TeardownOptions;
}

/**
 * Bucket settings a kept bucket keeps with it, so it stays as private, encrypted and versioned
 * as it was, and its lifecycle keeps expiring old backups (never its request metrics or alarms).
 */
const BUCKET_SAFETY_SETTINGS = [
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_object_lock_configuration',
];

/** Why each change is needed: what AWS does while the setting is on. */
export const WHY = {
  deletionProtection: 'AWS refuses to delete a load balancer while its deletion protection is on (Elastic Load Balancing, "Delete a Network Load Balancer")',
  stateBucket: 'the bucket holds every version of the state of the stacks destroyed before it, and S3 deletes only an empty bucket (force_destroy deletes every object version first)',
  dataBucket: '--delete-data: S3 deletes only an empty bucket (force_destroy deletes every object version, backups included, first)',
  noFinalSnapshot: '--delete-data: no final snapshot of the data volume',
} as const;

/**
 * What a teardown does, stack by stack, and what stays: a pure decision over the stacks' JSON.
 * - load balancers with deletion protection: turned off;
 * - the state stack's bucket: force_destroy on (it holds only the state of the stacks destroyed
 *   before it; it is the last stack);
 * - any other bucket (the backups): kept, with its safety settings and KMS key, unless
 *   `deleteData` (then force_destroy on, except under Object Lock COMPLIANCE, which no one can lift);
 * - data volumes with a final snapshot: snapshotted unless `deleteData`.
 */
export function planTeardown(stacks: readonly TeardownStack[], options: TeardownOptions): TeardownPlan {
  const planned = destroyOrder(stacks).map((stack) => planStack(stack, options));
  return { stacks: planned, leftovers: planned.flatMap((stack) => leftoversOf(stack, options)), options };
}

function planStack(stack: TeardownStack, options: TeardownOptions): StackTeardownPlan {
  const resources = managedResources(stack.json);
  const changes: SettingChange[] = [];
  const kept: KeptResource[] = [];
  for (const lb of resources.filter((r) => r.type === 'aws_lb' && r.config['enable_deletion_protection'] === true)) {
    changes.push({ address: lb.address, attribute: 'enable_deletion_protection', from: true, to: false, why: WHY.deletionProtection });
  }
  for (const bucket of resources.filter((r) => r.type === 'aws_s3_bucket' && r.config['force_destroy'] !== true)) {
    const compliance = complianceLockDays(resources, bucket);
    if (stack.name === STATE_STACK_NAME) {
      changes.push({ address: bucket.address, attribute: 'force_destroy', from: bucket.config['force_destroy'] ?? false, to: true, why: WHY.stateBucket });
    } else if (options.deleteData && compliance === undefined) {
      changes.push({ address: bucket.address, attribute: 'force_destroy', from: bucket.config['force_destroy'] ?? false, to: true, why: WHY.dataBucket });
    } else {
      const why =
        compliance !== undefined && options.deleteData
          ? `Object Lock COMPLIANCE keeps every backup ${compliance} days and nobody can delete one earlier, so even --delete-data keeps it`
          : 'it holds the backups; --delete-data deletes them';
      kept.push(...keptWithBucket(resources, bucket, why));
    }
  }
  if (options.deleteData) {
    for (const volume of resources.filter((r) => r.type === 'aws_ebs_volume' && r.config['final_snapshot'] === true)) {
      changes.push({ address: volume.address, attribute: 'final_snapshot', from: true, to: false, why: WHY.noFinalSnapshot });
    }
  }
  const keptAddresses = new Set(kept.map((k) => k.address));
  return { stack, changes, kept, destroyed: resources.map((r) => r.address).filter((address) => !keptAddresses.has(address)) };
}

/** The bucket, its safety settings, the KMS keys its encryption uses and their aliases: without the key, the backups cannot be read. */
function keptWithBucket(resources: readonly SynthesizedResource[], bucket: SynthesizedResource, why: string): KeptResource[] {
  const settings = resources.filter((r) => BUCKET_SAFETY_SETTINGS.includes(r.type) && refersTo(r.config['bucket'], bucket.address));
  const keys = resources.filter((r) => r.type === 'aws_kms_key' && settings.some((setting) => refersTo(setting.config, r.address)));
  const aliases = resources.filter((r) => r.type === 'aws_kms_alias' && keys.some((key) => refersTo(r.config['target_key_id'], key.address)));
  return [
    { address: bucket.address, why },
    ...settings.map((r) => ({ address: r.address, why: 'kept with its bucket' })),
    ...keys.map((r) => ({ address: r.address, why: 'kept with its bucket: the backups are encrypted with it' })),
    ...aliases.map((r) => ({ address: r.address, why: 'kept with its key' })),
  ];
}

/** Days of an Object Lock COMPLIANCE default retention on the bucket, if it has one. */
function complianceLockDays(resources: readonly SynthesizedResource[], bucket: SynthesizedResource): number | undefined {
  for (const lock of resources.filter((r) => r.type === 'aws_s3_bucket_object_lock_configuration' && refersTo(r.config['bucket'], bucket.address))) {
    for (const retention of blocks(lock.config['rule']).flatMap((rule) => blocks(rule['default_retention']))) {
      if (retention['mode'] === 'COMPLIANCE') return Number(retention['days'] ?? 0) || Number(retention['years'] ?? 0) * 365;
    }
  }
  return undefined;
}

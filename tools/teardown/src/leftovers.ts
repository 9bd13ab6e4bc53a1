import type { SynthesizedResource } from '@crdb-ory/core';
import { EBS_SNAPSHOT_PER_GB_MONTH, KMS_KEY_PENDING_DELETION_PER_MONTH, KMS_KEY_PER_MONTH, LOG_STORAGE_PER_GB_MONTH, S3_STANDARD_PER_GB_MONTH, SECRET_IN_RECOVERY_WINDOW_PER_MONTH } from './prices';
import { blocks, displayName, managedResources, refersTo } from './stack-json';
import type { StackTeardownPlan, TeardownOptions } from './teardown-plan';

export type LeftoverKind = 'bucket' | 'kms-key' | 'kms-key-pending-deletion' | 'secret-in-recovery-window' | 'snapshot' | 'log-group';

/** Something that stays in the account after the teardown, and what it costs per month. */
export interface Leftover {
  readonly kind: LeftoverKind;
  readonly stack: string;
  readonly address: string;
  /** Its name as people see it (references shown as placeholders: `<account>`, `<region>`); a snapshot's is its volume's Name tag, which the snapshot carries. */
  readonly name: string;
  /** How long it stays, for what AWS deletes by itself (a KMS key's waiting period, a secret's recovery window). */
  readonly days?: number;
  /** Fixed cost per month, USD. */
  readonly monthlyUsd: number;
  /** Cost per GB stored per month, for what grows with data. */
  readonly perGbMonthUsd?: number;
  /** The most GB it can hold, where the configuration says (a snapshot is at most its volume). */
  readonly maxGb?: number;
  readonly note: string;
}

/** AWS defaults where the configuration sets none: 30 days for both (ScheduleKeyDeletion, DeleteSecret). */
const DEFAULT_KMS_DELETION_WINDOW_DAYS = 30;
const DEFAULT_SECRET_RECOVERY_WINDOW_DAYS = 30;

/** What stays after `plan`'s stack is torn down. */
export function leftoversOf(plan: StackTeardownPlan, options: TeardownOptions): Leftover[] {
  const resources = managedResources(plan.stack.json);
  const kept = new Set(plan.kept.map((k) => k.address));
  const stack = plan.stack.name;
  const leftovers: Leftover[] = [];
  for (const bucket of resources.filter((r) => r.type === 'aws_s3_bucket' && kept.has(r.address))) {
    leftovers.push({
      kind: 'bucket',
      stack,
      address: bucket.address,
      name: displayName(String(bucket.config['bucket'] ?? bucket.address)),
      monthlyUsd: 0,
      perGbMonthUsd: S3_STANDARD_PER_GB_MONTH,
      note: `${expiryNote(resources, bucket)}; while it exists, a new deployment of this environment fails on its name (delete it, or \`terraform import\` it into the new stack)`,
    });
  }
  for (const key of resources.filter((r) => r.type === 'aws_kms_key')) {
    const name = keyName(resources, key);
    if (kept.has(key.address)) {
      leftovers.push({ kind: 'kms-key', stack, address: key.address, name, monthlyUsd: KMS_KEY_PER_MONTH, note: 'kept with the backups it encrypts (more per month once automatic rotation added key material)' });
    } else {
      const days = Number(key.config['deletion_window_in_days'] ?? DEFAULT_KMS_DELETION_WINDOW_DAYS);
      leftovers.push({ kind: 'kms-key-pending-deletion', stack, address: key.address, name, days, monthlyUsd: KMS_KEY_PENDING_DELETION_PER_MONTH, note: `deleted by KMS after ${days} days (\`aws kms cancel-key-deletion\` until then)` });
    }
  }
  for (const secret of resources.filter((r) => r.type === 'aws_secretsmanager_secret')) {
    const days = Number(secret.config['recovery_window_in_days'] ?? DEFAULT_SECRET_RECOVERY_WINDOW_DAYS);
    if (days === 0) continue;
    leftovers.push({
      kind: 'secret-in-recovery-window',
      stack,
      address: secret.address,
      name: displayName(String(secret.config['name'] ?? secret.address)),
      days,
      monthlyUsd: SECRET_IN_RECOVERY_WINDOW_PER_MONTH,
      note: `recoverable for ${days} days, and until then the name stays taken: a new deployment with this prefix fails on it (\`aws secretsmanager restore-secret\` it, or \`delete-secret --force-delete-without-recovery\`)`,
    });
  }
  if (!options.deleteData) {
    for (const volume of resources.filter((r) => r.type === 'aws_ebs_volume' && r.config['final_snapshot'] === true)) {
      const size = Number(volume.config['size']);
      leftovers.push({
        kind: 'snapshot',
        stack,
        address: volume.address,
        name: displayName(String((volume.config['tags'] as Record<string, unknown> | undefined)?.['Name'] ?? volume.address)),
        monthlyUsd: 0,
        perGbMonthUsd: EBS_SNAPSHOT_PER_GB_MONTH,
        ...(Number.isFinite(size) ? { maxGb: size } : {}),
        note: 'taken when the volume is deleted; billed on the blocks written, at most the volume size',
      });
    }
  }
  for (const group of resources.filter((r) => r.type === 'aws_cloudwatch_log_group' && r.config['skip_destroy'] === true)) {
    leftovers.push({ kind: 'log-group', stack, address: group.address, name: displayName(String(group.config['name'])), monthlyUsd: 0, perGbMonthUsd: LOG_STORAGE_PER_GB_MONTH, note: 'skip_destroy: Terraform forgets it, CloudWatch keeps its logs' });
  }
  return leftovers;
}

/** The alias of a key (`alias/...`), else its description. */
function keyName(resources: readonly SynthesizedResource[], key: SynthesizedResource): string {
  const alias = resources.find((r) => r.type === 'aws_kms_alias' && refersTo(r.config['target_key_id'], key.address));
  return displayName(String(alias?.config['name'] ?? key.config['description'] ?? key.address));
}

/** What the bucket's lifecycle does to its objects from now on. */
function expiryNote(resources: readonly SynthesizedResource[], bucket: SynthesizedResource): string {
  const rules = resources
    .filter((r) => r.type === 'aws_s3_bucket_lifecycle_configuration' && refersTo(r.config['bucket'], bucket.address))
    .flatMap((r) => blocks(r.config['rule']))
    .filter((rule) => rule['status'] === 'Enabled');
  const current = rules.flatMap((rule) => blocks(rule['expiration'])).map((e) => Number(e['days'])).filter((d) => d > 0);
  const noncurrent = rules.flatMap((rule) => blocks(rule['noncurrent_version_expiration'])).map((e) => Number(e['noncurrent_days'])).filter((d) => d > 0);
  if (current.length === 0) return 'no lifecycle expires its objects: it keeps costing until someone empties it';
  const first = Math.min(...current);
  return `its lifecycle still expires backups ${first} days after they were written${noncurrent.length > 0 ? ` and deletes them ${Math.min(...noncurrent)} days later` : ''}, so it empties itself unless Object Lock holds them`;
}

import {
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_BACKUP_SCHEDULE,
  DEFAULT_CERTIFICATE_VALIDITY,
  DEFAULT_DRAIN_SETTINGS,
  DEFAULT_COCKROACH_SHA256,
  DEFAULT_COCKROACH_VERSION,
  DEFAULT_DATA_VOLUME,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_SECRET_RECOVERY_WINDOW_DAYS,
  DEFAULT_SQL_USERS,
} from '@crdb-ory/cockroach';
import { DEFAULT_LOG_RETENTION_DAYS } from '@crdb-ory/core';
import { z } from 'zod';
import { cidrBlock, instanceType } from './primitives';

// Shapes only: what each value may be is the cockroach library's rule (cockroach-rules.ts, backup-monitoring-rules.ts).
const sqlUser = z.string();
const hours = z.number().int();
const days = z.number().int();

/** Backups: the bucket (stack `cockroach-backup`) and the schedule node 1's bootstrap creates. */
export const cockroachBackupConfig = z.strictObject({
  /** Backups are on by default; turning them off needs `disabledReason`, which the policy gate shows as the suppression's reason. */
  enabled: z.boolean(),
  /** Why this deployment has no backups (at least 10 characters); required when `enabled` is false. */
  disabledReason: z.string().optional(),
  /** Label of the CockroachDB schedule (SHOW SCHEDULES FOR BACKUP). */
  scheduleLabel: z.string(),
  /** When full backups run: a crontab (UTC) or @daily, @weekly... */
  fullBackupCrontab: z.string(),
  /** When incremental backups run (appending to the latest full backup). */
  incrementalCrontab: z.string(),
  /** Keep every revision inside the GC window, so a restore can go to any point in time (AS OF SYSTEM TIME). */
  revisionHistory: z.boolean(),
  /** Name of the backup bucket; default `<namePrefix>-backups-<account id>-<region>`. */
  bucketName: z.string().optional(),
  /** Days a backup object is kept before it expires. */
  retentionDays: days,
  /** Days an expired, overwritten or deleted backup object stays recoverable (S3 versioning). */
  noncurrentRetentionDays: days,
  /** Object Lock default retention (WORM), opt-in: GOVERNANCE or COMPLIANCE, days at most retentionDays. */
  objectLock: z.strictObject({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), days }).optional(),
});

/** Settings of the `cockroach-pki` and `cockroach` stacks. */
export const cockroachConfig = z.strictObject({
  /** Pinned CockroachDB release installed on every node (the v25.4 LTS line by default). */
  version: z.string(),
  /** SHA-256 of cockroach-<version>.linux-amd64.tgz; nodes refuse any other download. Change it with `version`. */
  binarySha256: z.string(),
  /** EC2 instance type of the nodes: production wants >= 4 vCPU, 4 GiB per vCPU, no burstable types. */
  instanceType,
  /** SQL users: one per Ory service (owns its database) and the read-only verifier. */
  sqlUsers: z.strictObject({ hydra: sqlUser, kratos: sqlUser, keto: sqlUser, verifier: sqlUser }),
  /**
   * Declared admin networks (VPN, bastion) allowed to the DB Console on 8080 of the nodes: an
   * explicit opt-in the policy gate accepts for 8080 only. Never SQL, never the internet.
   */
  adminCidrs: z.array(cidrBlock),
  /** Secrets Manager secret holding the license key, applied at bootstrap. Without one the cluster is throttled 7 days after init. */
  licenseSecretArn: z.string().optional(),
  /** The gp3 data volume of each node; what EBS accepts is the cockroach library's rule (gp3VolumeProblems). */
  dataVolume: z.strictObject({
    sizeGiB: z.number().int(),
    iops: z.number().int(),
    throughputMiBps: z.number().int(),
  }),
  /**
   * IAM role or user ARNs (besides the node roles and whoever applies cockroach-pki) that may
   * read the certificate secrets: every CI role and operator that deploys cockroach-pki or ory
   * or runs the verifier. `*` allowed in the name (SSO roles).
   */
  secretReaderArns: z.array(z.string()),
  /** Days a deleted certificate secret stays restorable: 0 (deleted at once) or 7-30. */
  secretRecoveryWindowDays: z.number().int(),
  backup: cockroachBackupConfig,
  /** Who operates the nodes (Run Command, Session Manager, npm run roll and restore), and the record of it. */
  operations: z.strictObject({
    /**
     * IAM role or user ARNs allowed to assume the operations role `<namePrefix>-cockroach-operator`
     * (`*` allowed in the name, e.g. an SSO role). Empty: the account's IAM policies decide who may
     * call sts:AssumeRole on it.
     */
    assumableBy: z.array(z.string()),
    /** Days the operations log keeps every session and command output (a CloudWatch Logs retention value). */
    logRetentionDays: z.number().int(),
  }),
  /**
   * How a node drains (`server.shutdown.*`, CockroachDB "Node shutdown"): the connections timeout
   * must be above `ory.sql.maxConnLifetimeSeconds`, so a drain never cuts Ory's pooled connections.
   */
  drain: z.strictObject({
    /** `server.shutdown.initial_wait`: longer than the load balancer takes to mark the node unhealthy (20 s). */
    initialWaitSeconds: z.number().int(),
    /** `server.shutdown.connections.timeout`: how long clients may keep their connections during a drain. */
    connectionsTimeoutSeconds: z.number().int(),
    /** `server.shutdown.transactions.timeout`. */
    transactionsTimeoutSeconds: z.number().int(),
  }),
  /** Certificate lifetimes in hours; an apply within `earlyRenewalHours` of expiry re-issues. */
  certificates: z.strictObject({
    caValidityHours: hours,
    nodeValidityHours: hours,
    clientValidityHours: hours,
    earlyRenewalHours: hours,
  }),
});

export type CockroachConfig = z.infer<typeof cockroachConfig>;

export const COCKROACH_DEFAULTS: CockroachConfig = {
  version: DEFAULT_COCKROACH_VERSION,
  binarySha256: DEFAULT_COCKROACH_SHA256,
  instanceType: DEFAULT_INSTANCE_TYPE,
  sqlUsers: { ...DEFAULT_SQL_USERS },
  adminCidrs: [],
  secretReaderArns: [],
  secretRecoveryWindowDays: DEFAULT_SECRET_RECOVERY_WINDOW_DAYS,
  dataVolume: { ...DEFAULT_DATA_VOLUME },
  certificates: { ...DEFAULT_CERTIFICATE_VALIDITY },
  operations: { assumableBy: [], logRetentionDays: DEFAULT_LOG_RETENTION_DAYS },
  drain: { ...DEFAULT_DRAIN_SETTINGS },
  backup: {
    enabled: true,
    scheduleLabel: DEFAULT_BACKUP_SCHEDULE.label,
    fullBackupCrontab: DEFAULT_BACKUP_SCHEDULE.fullBackupCrontab,
    incrementalCrontab: DEFAULT_BACKUP_SCHEDULE.incrementalCrontab,
    revisionHistory: DEFAULT_BACKUP_SCHEDULE.revisionHistory,
    retentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
    noncurrentRetentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
  },
};

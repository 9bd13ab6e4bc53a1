import { cockroachClusterRule, userDataText } from '../cockroach-nodes';
import { problemAt } from '../declare-rule';

const SCHEDULE = /CREATE SCHEDULE (IF NOT EXISTS )?[A-Za-z0-9_]+\s+FOR BACKUP INTO '(s3|gs|azure-blob|azure):\/\//;

/** CRDB-BACKUP-001: a CockroachDB cluster creates a backup schedule into cloud storage. */
export const COCKROACH_BACKUP_SCHEDULE = cockroachClusterRule({
  id: 'CRDB-BACKUP-001',
  description: 'A stack with CockroachDB nodes creates a backup schedule into cloud storage (CREATE SCHEDULE ... FOR BACKUP INTO in a node\'s bootstrap).',
  fix: 'keep the CockroachStack backupSchedule (the default: daily full, hourly incremental backups into the cockroach-backup stack\'s bucket), or suppress CRDB-BACKUP-001 on the stack with the reason (config: cockroach.backup.enabled false with disabledReason)',
  check(stack, nodes) {
    const [first] = nodes;
    if (!first || nodes.some((node) => SCHEDULE.test(userDataText(stack, node)))) return [];
    return [problemAt(first, `none of the ${nodes.length} CockroachDB nodes creates a backup schedule: the cluster's data lives only on its volumes`)];
  },
});

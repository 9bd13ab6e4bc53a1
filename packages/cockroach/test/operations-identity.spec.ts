import { describe, expect, it } from 'vitest';
import { OPERATIONS_LOG_GROUP, OPERATIONS_ROLE_ARN, RollWorld } from './roll-world';

const TIMEOUT = 240_000;
const ADMIN = { UserId: 'AROAEXAMPLEADMIN:bob', Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/bob' };

/** A healthy cluster with every node pending a patch release: what a roll would act on. */
const pending = (caller?: Record<string, string> | null, terraform?: Record<string, unknown>) => new RollWorld({ configured: 'v25.4.1', ...(caller !== undefined ? { caller } : {}), ...(terraform ? { terraform } : {}) });
const sentCommands = (world: RollWorld) => world.calls().filter((c) => c.startsWith('aws ssm send-command'));
const terraformChanges = (world: RollWorld) => world.calls().filter((c) => /^terraform \S+ (plan|apply) /.test(c));

/** `roll --yes` stops with exit 1 and `message`, having sent no command to a node. */
function expectRollRefused(world: RollWorld, message: string): void {
  const result = world.roll('--yes');
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(message);
  expect(sentCommands(world)).toEqual([]);
}

describe('npm run roll and npm run restore run as the operations role', () => {
  it('refuse any other identity before they touch anything, naming the role and how to assume it', () => {
    for (const [command, args] of [['roll', ['--yes']], ['roll', ['--dry-run']], ['restore', []]] as const) {
      const world = pending(ADMIN);
      const result = command === 'roll' ? world.roll(...args) : world.restore(...args);
      expect(result.status, `${command} ${args.join(' ')}`).toBe(1);
      expect(result.stderr).toContain(`runs as the operations role ${OPERATIONS_ROLE_ARN}, the only principal allowed to run commands on the nodes; you are ${ADMIN.Arn}`);
      expect(result.stderr).toContain(`aws sts assume-role --role-arn ${OPERATIONS_ROLE_ARN}`);
      expect(sentCommands(world)).toEqual([]);
      expect(terraformChanges(world)).toEqual([]);
      expect(world.events()).toEqual([]);
    }
  }, TIMEOUT);

  it('refuse a role of the same name in another account, a plain IAM user, and no credentials at all', () => {
    const elsewhere = pending({ ...ADMIN, Account: '210987654321', Arn: 'arn:aws:sts::210987654321:assumed-role/crdb-ory-cockroach-operator/eve' });
    expect(elsewhere.roll('--yes').stderr).toContain('you are arn:aws:sts::210987654321:assumed-role/crdb-ory-cockroach-operator/eve');
    const user = pending({ ...ADMIN, Arn: 'arn:aws:iam::123456789012:user/ci' });
    expect(user.roll('--yes').status).toBe(1);
    expectRollRefused(pending(null), 'cannot tell who is calling (aws sts get-caller-identity failed): Unable to locate credentials');
  }, TIMEOUT);

  it('stop on a stack applied before the operations role existed, saying to apply this version first', () => {
    expectRollRefused(pending(undefined, { operationsRoleArn: '' }), 'no operations_role_arn or operations_log_group_name output yet: apply this version of the stack first');
  }, TIMEOUT);

  it('as the operations role, send every command with its output to the operations log', () => {
    const world = pending();
    const result = world.roll('--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Running as arn:aws:sts::123456789012:assumed-role/crdb-ory-cockroach-operator/alice; command output is logged to ${OPERATIONS_LOG_GROUP}.`);
    const invocations = world.invocations();
    expect(invocations.length).toBeGreaterThan(0);
    expect(invocations.length).toBe(sentCommands(world).length);
    expect(invocations.every((i) => JSON.stringify(i.CloudWatchOutputConfig) === JSON.stringify({ CloudWatchOutputEnabled: true, CloudWatchLogGroupName: OPERATIONS_LOG_GROUP }))).toBe(true);
    const restore = new RollWorld({ configured: 'v25.4.0', pending: [], cluster: { databases: ['hydra', 'keto', 'kratos'], backups: {} } }).restore('--list');
    expect(restore.stdout).toContain(`command output is logged to ${OPERATIONS_LOG_GROUP}`);
  }, TIMEOUT);
});

import type { CommandRunner } from './command-runner';
import { OperationStopped } from './operation-stopped';

/** Where the operations commands run and log: the cockroach stack's outputs. */
export interface OperationsIdentity {
  /** The operations role (`operations_role_arn`), the only principal the guardrail lets run commands on the nodes. */
  readonly roleArn: string;
  /** The caller's ARN, as STS reports it (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). */
  readonly callerArn: string;
  /** The operations log (`operations_log_group_name`): every command's output goes there too. */
  readonly logGroupName: string;
}

/**
 * `npm run roll` and `npm run restore` run as the operations role and nothing else: they send
 * commands that run as root on the nodes, which the guardrail allows that role only, and the
 * record of who ran what must name it. So before anything runs, the caller identity
 * (`aws sts get-caller-identity`, which needs no permission: STS API reference,
 * GetCallerIdentity) must be a session of that role, in its account. Assuming the role is left to
 * the operator (an AWS profile with `role_arn`, SSO, or `aws sts assume-role`): the commands never
 * hold or pass on credentials of their own.
 */
export function requireOperationsRole(outputs: Readonly<Record<string, unknown>>, exec: CommandRunner, region: string): OperationsIdentity {
  const roleArn = outputs['operations_role_arn'];
  const logGroupName = outputs['operations_log_group_name'];
  if (typeof roleArn !== 'string' || roleArn === '' || typeof logGroupName !== 'string' || logGroupName === '') {
    throw new OperationStopped('the cockroach stack has no operations_role_arn or operations_log_group_name output yet: apply this version of the stack first (`cdktf deploy cockroach`), which creates the operations role and log');
  }
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!role) throw new OperationStopped(`operations_role_arn "${roleArn}" is not an IAM role ARN`);
  const [, partition, account, roleName] = role;
  const result = exec('aws', ['sts', 'get-caller-identity', '--output', 'json', '--region', region]);
  if (result.status !== 0) throw new OperationStopped(`cannot tell who is calling (aws sts get-caller-identity failed): ${result.stderr.trim()}`);
  const callerArn = String((JSON.parse(result.stdout) as { Arn?: unknown }).Arn ?? '');
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (!session || session[1] !== partition || session[2] !== account || session[3] !== roleName) {
    throw new OperationStopped(
      `runs as the operations role ${roleArn}, the only principal allowed to run commands on the nodes; you are ${callerArn || 'unknown'}. ` +
        `Assume it first: an AWS profile with role_arn = ${roleArn} (AWS_PROFILE=<it>), or aws sts assume-role --role-arn ${roleArn} --role-session-name "$USER" --duration-seconds 14400 (docs/access.md)`,
    );
  }
  return { roleArn, callerArn, logGroupName };
}

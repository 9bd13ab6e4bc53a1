import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandRunner, shellQuote, sleep } from './command-runner';
import { SQL_RESULT_MARKER, renderNodeCommandScript } from './node-commands';

export interface NodeCommandResult {
  /** The command ran and exited 0. */
  readonly ok: boolean;
  /** SSM's status (`Success`, `Failed`, `TimedOut`...), or `Undeliverable` when SSM would not take the command (an instance whose agent has not registered yet). */
  readonly status: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the node command script (node-commands.ts) on one node. */
export interface NodeShell {
  run(instanceId: string, args: readonly string[], timeoutSeconds?: number): Promise<NodeCommandResult>;
}

export interface SsmNodeShellProps {
  readonly region: string;
  /** root's client certificate secret (the script fetches it on nodes that booted without it). */
  readonly rootClientSecretArn: string;
  readonly exec: CommandRunner;
  /**
   * The operations log group: every command's output is sent there too (`--cloud-watch-output-config`,
   * Systems Manager User Guide, "Configuring Amazon CloudWatch Logs for Run Command").
   */
  readonly outputLogGroup: string;
  /** Seconds between polls of get-command-invocation. @default 3 */
  readonly pollSeconds?: number;
}

const TERMINAL = ['Success', 'Failed', 'Cancelled', 'TimedOut', 'Undeliverable', 'Terminated'];

/**
 * The operator's machine cannot reach the nodes (private subnets, no SSH): commands go through
 * SSM Run Command (`AWS-RunShellScript`, as root), which needs only the AWS CLI and IAM
 * ssm:SendCommand / ssm:GetCommandInvocation on the node instances.
 */
export class SsmNodeShell implements NodeShell {
  private readonly script = Buffer.from(renderNodeCommandScript()).toString('base64');

  constructor(private readonly props: SsmNodeShellProps) {}

  async run(instanceId: string, args: readonly string[], timeoutSeconds = 900): Promise<NodeCommandResult> {
    const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-ssm-'));
    try {
      const parameters = join(dir, 'parameters.json');
      writeFileSync(parameters, JSON.stringify({ commands: this.commands(args), executionTimeout: [String(timeoutSeconds)] }));
      const send = this.aws([
        'ssm', 'send-command', '--instance-ids', instanceId, '--document-name', 'AWS-RunShellScript',
        '--comment', `crdb-ory: ${args[0] ?? ''}`, '--parameters', `file://${parameters}`,
        '--cloud-watch-output-config', JSON.stringify({ CloudWatchOutputEnabled: true, CloudWatchLogGroupName: this.props.outputLogGroup }),
        '--query', 'Command.CommandId', '--output', 'text',
      ]);
      if (send.status !== 0) return { ok: false, status: 'Undeliverable', stdout: '', stderr: send.stderr.trim() };
      return await this.wait(send.stdout.trim(), instanceId, timeoutSeconds);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private commands(args: readonly string[]): string[] {
    return [
      `export CRDB_ORY_REGION=${shellQuote(this.props.region)} CRDB_ORY_ROOT_CLIENT_SECRET=${shellQuote(this.props.rootClientSecretArn)}`,
      `printf '%s' '${this.script}' | base64 -d >/tmp/crdb-ory-node-command.$$`,
      `trap 'rm -f /tmp/crdb-ory-node-command.$$' EXIT`,
      `bash /tmp/crdb-ory-node-command.$$ ${args.map(shellQuote).join(' ')}`,
    ];
  }

  private async wait(commandId: string, instanceId: string, timeoutSeconds: number): Promise<NodeCommandResult> {
    const deadline = Date.now() + (timeoutSeconds + 60) * 1000;
    for (;;) {
      const poll = this.aws(['ssm', 'get-command-invocation', '--command-id', commandId, '--instance-id', instanceId, '--output', 'json']);
      if (poll.status === 0) {
        const invocation = JSON.parse(poll.stdout) as { Status: string; StandardOutputContent?: string; StandardErrorContent?: string };
        if (TERMINAL.includes(invocation.Status)) {
          return {
            ok: invocation.Status === 'Success',
            status: invocation.Status,
            stdout: invocation.StandardOutputContent ?? '',
            stderr: invocation.StandardErrorContent ?? '',
          };
        }
      } else if (!/InvocationDoesNotExist/.test(poll.stderr)) {
        return { ok: false, status: 'Failed', stdout: '', stderr: poll.stderr.trim() };
      }
      if (Date.now() > deadline) return { ok: false, status: 'TimedOut', stdout: '', stderr: `no result from SSM command ${commandId} within ${timeoutSeconds} s` };
      await sleep(this.props.pollSeconds ?? 3);
    }
  }

  private aws(args: string[]) {
    return this.props.exec('aws', [...args, '--region', this.props.region]);
  }
}

/** Runs one SQL statement as root on a node (the node command's `sql`): its CSV output. */
export async function runSqlOnNode(shell: NodeShell, instanceId: string, statement: string, timeoutSeconds = 600): Promise<NodeCommandResult> {
  const result = await runSqlStatements(shell, instanceId, [statement], { timeoutSeconds });
  return { ...result, stdout: result.results[0] ?? '' };
}

export interface SqlStatementsResult extends NodeCommandResult {
  /** The CSV each statement printed, in order (as far as they ran). */
  readonly results: readonly string[];
}

/** Runs statements in order as root on a node (one SSM command), in `database` if given; stops at the first that fails. */
export async function runSqlStatements(shell: NodeShell, instanceId: string, statements: readonly string[], options: { database?: string; timeoutSeconds?: number } = {}): Promise<SqlStatementsResult> {
  const database = options.database ? [`--database=${options.database}`] : [];
  const result = await shell.run(instanceId, ['sql', ...database, ...statements.map((s) => Buffer.from(s).toString('base64'))], options.timeoutSeconds ?? 600);
  const results: string[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith(`${SQL_RESULT_MARKER} `)) results.push('');
    else if (results.length > 0) results[results.length - 1] += `${line}\n`;
  }
  return { ...result, results };
}

/** The rows of a CSV result without its header (values without commas or quotes, as the callers ask for). */
export function csvRows(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

import { UsageError } from '@crdb-ory/core/command-line';
import { CommandRunner, commandRunner, runCommand } from './command-runner';
import { SsmNodeShell } from './node-shell';
import { OperationStopped } from './operation-stopped';
import { requireOperationsRole } from './operations-identity';
import { SynthesizedStackDir, readStackDir } from './stack-dir';
import { TerraformDriver } from './terraform-driver';

// What the operations commands share before they touch a node: the cockroach stacks they work on
// (one, or one per region of a multi-region cluster: `--stack-dir a,b,c`), each with its outputs,
// its caller checked to be that stack's operations role, and an SSM shell in its region.
//
// Each region's operations role is its own (`<namePrefix>-cockroach-operator`, the region's own
// prefix in the multi-region app): its policy lets it run commands only on the nodes tagged with
// that prefix, in that region (operationsNodeAccess), and the guardrail denies every other
// principal (nodeAccessGuardrail; an explicit deny wins over any allow: IAM User Guide, "Policy
// evaluation logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
// So no one session can operate every region's nodes: accepting "any of the stacks' roles" would
// pass the check and fail halfway, at the first node of another region; having the primary's
// role assume the others' would make the command hold credentials, and a chained role session
// lasts at most one hour (IAM User Guide, "Roles terms and concepts", role chaining,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html), less than a
// roll. Instead each stack gets its own AWS CLI profile (`--aws-profile a,b,c`, in the order of
// `--stack-dir`): everything run for that stack (aws, terraform) runs with `AWS_PROFILE=<its
// profile>`, which the AWS CLI reads ("Environment variables to configure the AWS CLI",
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html; a profile with
// role_arn assumes that role: "Use an IAM role in the AWS CLI",
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html) and so does
// Terraform's AWS provider (https://registry.terraform.io/providers/hashicorp/aws/latest/docs,
// "Shared Configuration and Credentials Files"). The command holds no credentials of its own: the
// CLI resolves the profile. Every stack's session is checked before anything changes.

/** A cockroach stack with the session the commands operate it with. */
export interface OperatorStack {
  /** `--stack-dir` as given (for messages). */
  readonly stackDir: string;
  readonly stack: SynthesizedStackDir;
  readonly region: string;
  /** Runs programs as this stack's operator (its `--aws-profile`, else the caller's identity). */
  readonly exec: CommandRunner;
  readonly terraform: TerraformDriver;
  readonly outputs: Record<string, unknown>;
  readonly nodes: SsmNodeShell;
}

/** The stacks of `--stack-dir`, `--region`, `--aws-profile` and `--primary-region`, checked as usage before anything is read. */
export interface StackSelection {
  readonly stackDirs: readonly string[];
  /** One profile per stack, or none (the caller's identity for every stack). */
  readonly profiles: readonly string[];
  readonly region?: string;
  readonly primaryRegion?: string;
}

/** Comma-separated option values, blanks dropped. */
export function commaList(value: string | number | boolean | undefined): string[] {
  return value === undefined ? [] : String(value).split(',').map((v) => v.trim()).filter(Boolean);
}

/** Usage errors for the options that select several stacks (roll, renew-certificates: `verb` is what happens to each, `rolled`). */
export function stackSelection(options: Readonly<Record<string, string | number | boolean>>, defaultStackDir: string, verb: string): StackSelection {
  const stackDirs = options['stack-dir'] === undefined ? [defaultStackDir] : commaList(options['stack-dir']);
  if (stackDirs.length === 0) throw new UsageError('--stack-dir names no stack');
  const profiles = commaList(options['aws-profile']);
  const region = options['region'] === undefined ? undefined : String(options['region']);
  const primaryRegion = options['primary-region'] === undefined ? undefined : String(options['primary-region']);
  if (stackDirs.length > 1 && region !== undefined) throw new UsageError(`--region applies to one stack: with several --stack-dir stacks each is ${verb} in its own stack's region`);
  if (stackDirs.length === 1 && primaryRegion !== undefined) throw new UsageError('--primary-region orders several stacks: give the regions\' cockroach stacks in --stack-dir, comma-separated');
  if (options['aws-profile'] !== undefined && profiles.length !== stackDirs.length) {
    throw new UsageError(`--aws-profile "${String(options['aws-profile'])}": give one AWS CLI profile per --stack-dir stack, in the same order (${stackDirs.length}: ${stackDirs.join(', ')})`);
  }
  return { stackDirs, profiles, ...(region === undefined ? {} : { region }), ...(primaryRegion === undefined ? {} : { primaryRegion }) };
}

/** A runner whose programs see `AWS_PROFILE=<profile>` (the AWS CLI and Terraform's AWS provider read it); `runCommand` without a profile. */
export function profileRunner(profile: string | undefined): CommandRunner {
  return profile === undefined ? runCommand : commandRunner({ AWS_PROFILE: profile });
}

/**
 * Reads every selected stack and checks its session, all before anything changes: a stack that
 * was not synthesized, not applied, or whose caller is not its operations role stops the command
 * here, having touched no stack.
 */
export function openOperatorStacks(selection: StackSelection, pollSeconds: number, log: (line: string) => void): OperatorStack[] {
  return selection.stackDirs.map((stackDir, i) => {
    const stack = readStackDir(stackDir);
    const region = selection.region ?? stack.region;
    const profile = selection.profiles[i];
    const exec = profileRunner(profile);
    const terraform = new TerraformDriver(stack.dir, exec);
    try {
      const { outputs, nodes } = operatorSession(terraform, exec, region, pollSeconds, log);
      return { stackDir, stack, region, exec, terraform, outputs, nodes };
    } catch (error) {
      if (!(error instanceof OperationStopped) || selection.stackDirs.length === 1) throw error;
      const hint = profile === undefined ? ' Each region\'s cockroach stack has its own operations role: give one AWS CLI profile per stack, each assuming that stack\'s role, with --aws-profile (in the order of --stack-dir).' : ` (--aws-profile ${profile})`;
      throw new OperationStopped(`${stackDir} (${region}): ${error.message}${hint} Nothing was changed.`);
    }
  });
}

/**
 * What roll, restore, regions and renew-certificates share before touching a node: the stack's
 * outputs, root's client certificate secret, the caller checked to be the operations role, and
 * the SSM shell that logs every command's output to the operations log.
 */
export function operatorSession(terraform: TerraformDriver, exec: CommandRunner, region: string, pollSeconds: number, log: (line: string) => void): { outputs: Record<string, unknown>; nodes: SsmNodeShell } {
  terraform.ensureInitialized();
  const outputs = terraform.outputs();
  const rootClientSecretArn = outputs['root_client_secret_arn'];
  if (typeof rootClientSecretArn !== 'string' || rootClientSecretArn === '') {
    throw new OperationStopped('the cockroach stack has no root_client_secret_arn output yet: apply it first (`cdktf deploy cockroach`)');
  }
  const operations = requireOperationsRole(outputs, exec, region);
  log(`Running as ${operations.callerArn}; command output is logged to ${operations.logGroupName}.`);
  const nodes = new SsmNodeShell({ region, rootClientSecretArn, exec, outputLogGroup: operations.logGroupName, pollSeconds: Math.min(pollSeconds, DEFAULT_SESSION_POLL_SECONDS) });
  return { outputs, nodes };
}

/** Seconds between polls of an SSM command's result, and the poll interval of restore and renew-certificates. */
export const DEFAULT_SESSION_POLL_SECONDS = 3;

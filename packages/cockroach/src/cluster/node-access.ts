import { IamPolicyDocument, IamStatement, iamPolicy } from '@crdb-ory/core';
import { NODE_COUNT, nodeName, operationsRoleName } from '../cockroach-names';

/**
 * Who may run commands on the nodes, as IAM policy documents (data: the stack attaches the first,
 * a security team attaches the second, the tests evaluate both). A node holds `node.key` and
 * `client.root.key`: whoever runs a command or a session on it is root on the cluster. So:
 * - only the operations role may use Run Command (`AWS-RunShellScript`) and Session Manager (the
 *   environment's own session document, which logs every session) on the nodes;
 * - the guardrail denies both to every other principal of the account, however broad its rights.
 *
 * The nodes are recognized by their `Name` tags (`<prefix>-cockroach-node-<n>`), which they carry
 * since their first deploy: no node changes to be recognized. Conditions on resource tags of
 * managed nodes: `ssm:resourceTag/<key>` (Systems Manager User Guide, "Restrict Run Command access
 * based on tags"; Service Authorization Reference, Systems Manager: SendCommand and StartSession
 * take `ssm:resourceTag/${TagKey}` and `aws:ResourceTag/${TagKey}`).
 */

export { operationsRoleName } from '../cockroach-names';

/** Where every session and every command of the operations commands is logged: `/<prefix>/cockroach/operations`. */
export function operationsLogGroupName(namePrefix: string): string {
  return `/${namePrefix}/cockroach/operations`;
}

/** The environment's own Session Manager preferences document: `<prefix>-cockroach-session`. */
export function sessionDocumentName(namePrefix: string): string {
  return `${namePrefix}-cockroach-session`;
}

/** Alias of the key of the operations log and of session data: `alias/<prefix>-cockroach-operations`. */
export function operationsKeyAlias(namePrefix: string): string {
  return `alias/${namePrefix}-cockroach-operations`;
}

/** The `Name` tags of the nodes: what the policies recognize them by. */
export function nodeNames(namePrefix: string): string[] {
  return Array.from({ length: NODE_COUNT }, (_, i) => nodeName(namePrefix, i));
}

/** The Run Command document the operations commands use (AWS-owned: no account in its ARN). */
export const RUN_SHELL_SCRIPT_DOCUMENT = 'AWS-RunShellScript';

export interface OperationsPolicyInput {
  readonly namePrefix: string;
  readonly partition: string;
  readonly region: string;
  /** @default '*' */
  readonly account?: string;
  /**
   * The key that encrypts session data (the user side needs kms:GenerateDataKey): its ARN, or
   * undefined where it is not known (a policy written before the key exists), then any key of
   * the account with the alias `alias/<prefix>-cockroach-operations` (`kms:ResourceAliases`).
   */
  readonly operationsKeyArn?: string;
}

/** The port-forwarding session document: `<prefix>-cockroach-port-forwarding` (SQL and DB Console only). */
export function portForwardingDocumentName(namePrefix: string): string {
  return `${namePrefix}-cockroach-port-forwarding`;
}

/**
 * What the operations role may do on the nodes: Run Command with `AWS-RunShellScript` and
 * sessions through the environment's session documents only (`ssm:SessionDocumentAccessCheck`:
 * "Enforce a session document permission check for the AWS CLI", Systems Manager User Guide: with
 * the check on, a session without a named document, i.e. the account's default preferences
 * `SSM-SessionManagerRunShell`, needs permission on that document, which the role lacks), read
 * its commands' results, forward the node's SQL port or DB Console through the environment's
 * port-forwarding document, end its own sessions (`session/${aws:userid}-*`, Session Manager's
 * "Quickstart end user policies"), and encrypt session data with the operations key ("Turn on
 * KMS key encryption of session data": the user needs kms:GenerateDataKey).
 */
export function operationsNodeAccess(input: OperationsPolicyInput): IamStatement[] {
  const { partition, region } = input;
  const account = input.account ?? '*';
  const nodes = `arn:${partition}:ec2:${region}:${account}:instance/*`;
  const onNodes = { StringEquals: { 'ssm:resourceTag/Name': nodeNames(input.namePrefix) } };
  // Session Manager checks the permission on the session document only when every statement that allows ssm:StartSession carries this condition ("Enforce a session document permission check for the AWS CLI"): then a session with the account's default preferences (SSM-SessionManagerRunShell, no --document-name) needs that document, which this role is not given.
  const documentCheck = { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } };
  const document = (name: string) => `arn:${partition}:ssm:${region}:${account}:document/${name}`;
  return [
    { Sid: 'RunShellScriptOnTheNodes', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: nodes, Condition: onNodes },
    { Sid: 'WithRunShellScriptOnly', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: `arn:${partition}:ssm:${region}::document/${RUN_SHELL_SCRIPT_DOCUMENT}` },
    { Sid: 'SessionsOnTheNodes', Effect: 'Allow', Action: 'ssm:StartSession', Resource: nodes, Condition: { ...onNodes, ...documentCheck } },
    { Sid: 'WithTheLoggedSessionDocumentOnly', Effect: 'Allow', Action: 'ssm:StartSession', Resource: document(sessionDocumentName(input.namePrefix)), Condition: documentCheck },
    { Sid: 'WithThePortForwardingDocument', Effect: 'Allow', Action: 'ssm:StartSession', Resource: document(portForwardingDocumentName(input.namePrefix)), Condition: documentCheck },
    { Sid: 'OwnSessions', Effect: 'Allow', Action: ['ssm:TerminateSession', 'ssm:ResumeSession'], Resource: `arn:${partition}:ssm:${region}:${account}:session/\${aws:userid}-*` },
    // Read-only calls that take no resource (Service Authorization Reference, Systems Manager).
    { Sid: 'CommandResultsAndNodeStatus', Effect: 'Allow', Action: ['ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:ListCommands', 'ssm:DescribeInstanceInformation', 'ssm:DescribeSessions'], Resource: '*' },
    input.operationsKeyArn
      ? { Sid: 'EncryptSessionData', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: input.operationsKeyArn }
      : { Sid: 'EncryptSessionData', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: `arn:${partition}:kms:${region}:${account}:key/*`, Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': operationsKeyAlias(input.namePrefix) } } },
  ];
}

/** The actions that run something on a node as root. */
export const NODE_COMMAND_ACTIONS = ['ssm:SendCommand', 'ssm:StartSession', 'ssm:CreateAssociation', 'ssm:CreateAssociationBatch'] as const;

/**
 * The guardrail a security team attaches, as a service control policy (or, without AWS
 * Organizations, as an IAM policy on every other role and user): whoever is not the operations
 * role cannot run a command, a session or a State Manager association on a node, and cannot
 * change a node's `Name` tag (which is how the nodes are recognized). Explicit denies: they win
 * over any allow, `ssm:SendCommand` on `*` included (IAM User Guide, "Policy evaluation logic").
 * SCPs take no `Principal`; `aws:PrincipalArn` is the role of an assumed-role session.
 */
export function nodeAccessGuardrail(input: { readonly namePrefix: string; readonly partition: string }): IamPolicyDocument {
  const nodes = `arn:${input.partition}:ec2:*:*:instance/*`;
  const names = nodeNames(input.namePrefix);
  const notOperations = { ArnNotLike: { 'aws:PrincipalArn': `arn:${input.partition}:iam::*:role/${operationsRoleName(input.namePrefix)}` } };
  return iamPolicy([
    { Sid: 'OnlyTheOperationsRoleRunsCommandsOnTheNodes', Effect: 'Deny', Action: [...NODE_COMMAND_ACTIONS], Resource: nodes, Condition: { StringEquals: { 'ssm:resourceTag/Name': names }, ...notOperations } },
    {
      Sid: 'NobodyElseRenamesANode',
      Effect: 'Deny',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: nodes,
      Condition: { StringEquals: { 'aws:ResourceTag/Name': names }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Name'] }, ...notOperations },
    },
  ]);
}

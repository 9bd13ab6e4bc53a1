import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamStatement, iamPolicyJson, productRole, serviceTrust } from '@crdb-ory/core';
import { backupReadStatements, backupReadWriteStatements } from '../backup/backup-grants';
import { certificateSecretReadStatements } from '../pki/secret-grants';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/**
 * What the SSM agent needs for Run Command and Session Manager, and nothing more: register and
 * report (`ssm:UpdateInstanceInformation`), the Session Manager channels (`ssmmessages:*`), and the
 * Run Command message channel older agents poll (`ec2messages:*`). From the Systems Manager User
 * Guide, "Create a custom IAM role for Session Manager" (the minimal policy: UpdateInstanceInformation
 * and the four ssmmessages actions, on `*`) and the action list of `AmazonSSMManagedInstanceCore`
 * (AWS Managed Policy Reference; the ec2messages actions). Not granted, unlike that managed policy:
 * `ssm:GetParameter`, `ssm:GetParameters` (every parameter of the account), `ssm:GetDocument`,
 * State Manager associations, inventory and patching: the nodes read no parameter, and
 * associations would be a second way to run commands on them. These actions take no resource
 * (Service Authorization Reference, Systems Manager, AWS Systems Manager Message Gateway Service,
 * Amazon Message Delivery Service).
 */
export const SSM_AGENT_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
] as const;

/** Where the node's SSM agent writes the output of commands and the transcript of sessions. */
export interface NodeOperationsLog {
  /** ARN of the (KMS-encrypted) log group. */
  readonly logGroupArn: string;
  /** Key of session data (Session Manager's KMS encryption: the node decrypts). */
  readonly keyArn: string;
}

export interface NodeRoleProps {
  readonly roleName: string;
  readonly region: string;
  /** The only secrets this node may read: its own certificates (plus, on node 1, root's and the license). */
  readonly secretArns: string[];
  /** Key of the certificate secrets; usable only through Secrets Manager. */
  readonly kmsKeyArn: string;
  /** The backup bucket and its key: the only place the node may write. @default none (no backups) */
  readonly backupBucket?: NodeBackupAccess;
  /** The replica of the backups in another region: the node may read it (a restore after that bucket's region is lost), never write. @default none */
  readonly backupReplica?: Required<NodeBackupAccess>;
  /** The one CloudWatch namespace the node may publish metrics to. */
  readonly metricsNamespace: string;
  /** The bootstrap status parameter (node 1 only): the one SSM parameter the node may write. @default none */
  readonly bootstrapStatusParameterArn?: string;
  /** ARN of the SSM path of the certificates Ory presents (ory-certificates.ts): the node reads the parameters under it. @default none */
  readonly oryCertificatesPathArn?: string;
  /** The operations log and session key the SSM agent uses. */
  readonly operationsLog: NodeOperationsLog;
}

/** What a node needs to run backups and restores: the bucket and its key. */
export interface NodeBackupAccess {
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** The bucket's region (its key is usable only through S3 there). @default the node's region */
  readonly region?: string;
}

/** A node's IAM role and instance profile, scoped to that node's secrets. */
export class NodeRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  /** The role's policies: an instance that uses the role depends on them, not only on the profile. */
  readonly permissions: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    this.role = productRole(this, 'role', { name: props.roleName, trust: [serviceTrust('ec2.amazonaws.com')] });
    const secrets = this.policy('secrets-policy', 'read-own-secrets', certificateSecretReadStatements({ secretArns: props.secretArns, kmsKeyArn: props.kmsKeyArn, region: props.region }));
    const ssm = this.policy('ssm-agent-policy', 'ssm-agent', ssmAgentStatements(props.operationsLog));
    const metrics = this.policy('metrics-policy', 'publish-node-metrics', [
      { Sid: 'PublishNodeMetricsOnly', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'], Condition: { StringEquals: { 'cloudwatch:namespace': [props.metricsNamespace] } } },
    ]);
    this.permissions = [secrets, ssm, metrics];
    if (props.oryCertificatesPathArn) {
      // GetParametersByPath authorizes on the path itself (a parameter ARN without the trailing slash); public certificates only, no key.
      this.permissions.push(this.policy('ory-certificates-policy', 'read-ory-certificates', [{ Sid: 'ReadTheCertificatesOryPresents', Effect: 'Allow', Action: ['ssm:GetParametersByPath'], Resource: [props.oryCertificatesPathArn] }]));
    }
    // Backups and restores (`AUTH=implicit`), as the bucket grants them.
    if (props.backupBucket) this.permissions.push(this.policy('backups-policy', 'write-backups', backupReadWriteStatements({ ...props.backupBucket, region: props.backupBucket.region ?? props.region })));
    if (props.backupReplica) this.permissions.push(this.policy('backup-replica-policy', 'read-backup-replica', backupReadStatements(props.backupReplica)));
    if (props.bootstrapStatusParameterArn) {
      // The bootstrap publishes its completion: PutParameter on that one parameter, nothing else of SSM Parameter Store.
      this.permissions.push(this.policy('bootstrap-status-policy', 'publish-bootstrap-status', [{ Sid: 'PublishBootstrapCompletion', Effect: 'Allow', Action: ['ssm:PutParameter'], Resource: [props.bootstrapStatusParameterArn] }]));
    }
    this.instanceProfile = new IamInstanceProfile(this, 'profile', { name: props.roleName, role: this.role.name });
  }

  private policy(id: string, name: string, statements: readonly IamStatement[]): IamRolePolicy {
    return new IamRolePolicy(this, id, { name, role: this.role.id, policy: iamPolicyJson(statements) });
  }
}

/**
 * The SSM agent ({@link SSM_AGENT_ACTIONS}); the output of commands and session transcripts to the
 * operations log group (Systems Manager User Guide, "Create a custom IAM role for Session Manager":
 * logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups, logs:DescribeLogStreams; the
 * agent checks the group's encryption with DescribeLogGroups, which takes no resource); the
 * session key to decrypt session data ("Turn on KMS key encryption of session data").
 */
function ssmAgentStatements(log: NodeOperationsLog): IamStatement[] {
  return [
    { Sid: 'SsmAgent', Effect: 'Allow', Action: [...SSM_AGENT_ACTIONS], Resource: ['*'] },
    { Sid: 'WriteTheOperationsLog', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [log.logGroupArn, `${log.logGroupArn}:log-stream:*`] },
    { Sid: 'CheckTheOperationsLogIsEncrypted', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: ['*'] },
    { Sid: 'DecryptSessionData', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [log.keyArn] },
  ];
}

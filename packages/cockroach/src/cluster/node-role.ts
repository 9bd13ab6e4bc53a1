import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { awsDnsSuffixOf } from '@crdb-ory/core';
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
}

/** A node's IAM role and instance profile, scoped to that node's secrets. */
export class NodeRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  /** The role's policies: an instance that uses the role depends on them, not only on the profile. */
  readonly permissions: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const assume = new DataAwsIamPolicyDocument(this, 'assume', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'role', { name: props.roleName, assumeRolePolicy: assume.json });
    const access = new DataAwsIamPolicyDocument(this, 'secrets', {
      statement: [
        { sid: 'ReadOwnSecrets', actions: ['secretsmanager:GetSecretValue'], resources: props.secretArns },
        {
          sid: 'DecryptThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.kmsKeyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${props.region}.${awsDnsSuffixOf(props.region)}`] }],
        },
      ],
    });
    const secrets = new IamRolePolicy(this, 'secrets-policy', { name: 'read-own-secrets', role: this.role.id, policy: access.json });
    const ssm = new IamRolePolicy(this, 'ssm-agent-policy', { name: 'ssm-agent', role: this.role.id, policy: this.ssmAgentPolicy(props.operationsLog).json });
    const metrics = new DataAwsIamPolicyDocument(this, 'metrics', {
      statement: [
        {
          sid: 'PublishNodeMetricsOnly',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [props.metricsNamespace] }],
        },
      ],
    });
    const metricsPolicy = new IamRolePolicy(this, 'metrics-policy', { name: 'publish-node-metrics', role: this.role.id, policy: metrics.json });
    this.permissions = [secrets, ssm, metricsPolicy];
    if (props.oryCertificatesPathArn) {
      // GetParametersByPath authorizes on the path itself (a parameter ARN without the trailing slash); public certificates only, no key.
      const certificates = new DataAwsIamPolicyDocument(this, 'ory-certificates', {
        statement: [{ sid: 'ReadTheCertificatesOryPresents', actions: ['ssm:GetParametersByPath'], resources: [props.oryCertificatesPathArn] }],
      });
      this.permissions.push(new IamRolePolicy(this, 'ory-certificates-policy', { name: 'read-ory-certificates', role: this.role.id, policy: certificates.json }));
    }
    if (props.backupBucket) this.permissions.push(this.backupPolicy(props.region, props.backupBucket));
    if (props.bootstrapStatusParameterArn) this.permissions.push(this.bootstrapStatusPolicy(props.bootstrapStatusParameterArn));
    this.instanceProfile = new IamInstanceProfile(this, 'profile', { name: props.roleName, role: this.role.name });
  }

  /** The bootstrap publishes its completion: PutParameter on that one parameter, nothing else of SSM Parameter Store. */
  private bootstrapStatusPolicy(parameterArn: string): IamRolePolicy {
    const document = new DataAwsIamPolicyDocument(this, 'bootstrap-status', {
      statement: [{ sid: 'PublishBootstrapCompletion', actions: ['ssm:PutParameter'], resources: [parameterArn] }],
    });
    return new IamRolePolicy(this, 'bootstrap-status-policy', { name: 'publish-bootstrap-status', role: this.role.id, policy: document.json });
  }

  /**
   * The SSM agent ({@link SSM_AGENT_ACTIONS}); the output of commands and session transcripts to the
   * operations log group (Systems Manager User Guide, "Create a custom IAM role for Session Manager":
   * logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups, logs:DescribeLogStreams; the
   * agent checks the group's encryption with DescribeLogGroups, which takes no resource); the
   * session key to decrypt session data ("Turn on KMS key encryption of session data").
   */
  private ssmAgentPolicy(log: NodeOperationsLog): DataAwsIamPolicyDocument {
    return new DataAwsIamPolicyDocument(this, 'ssm-agent', {
      statement: [
        { sid: 'SsmAgent', actions: [...SSM_AGENT_ACTIONS], resources: ['*'] },
        { sid: 'WriteTheOperationsLog', actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [log.logGroupArn, `${log.logGroupArn}:log-stream:*`] },
        { sid: 'CheckTheOperationsLogIsEncrypted', actions: ['logs:DescribeLogGroups'], resources: ['*'] },
        { sid: 'DecryptSessionData', actions: ['kms:Decrypt'], resources: [log.keyArn] },
      ],
    });
  }

  /**
   * Backups and restores (`AUTH=implicit`): read, write and list the backup bucket, and use its
   * key through S3. No s3:DeleteObjectVersion: in the versioned bucket a node can add a delete
   * marker, never destroy a backup.
   */
  private backupPolicy(region: string, backup: NodeBackupAccess): IamRolePolicy {
    const document = new DataAwsIamPolicyDocument(this, 'backups', {
      statement: [
        { sid: 'ListTheBackupBucket', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [backup.bucketArn] },
        {
          sid: 'WriteAndReadBackups',
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [`${backup.bucketArn}/*`],
        },
        {
          sid: 'UseTheBackupKeyThroughS3',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [backup.kmsKeyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.${awsDnsSuffixOf(region)}`] }],
        },
      ],
    });
    return new IamRolePolicy(this, 'backups-policy', { name: 'write-backups', role: this.role.id, policy: document.json });
  }
}

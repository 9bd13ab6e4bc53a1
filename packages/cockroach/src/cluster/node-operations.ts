import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { IamPolicyDocument, IamStatement, accountAdministersKey, awsDnsSuffixOf, cloudWatchLogsKeyGrant, awsPartitionOf, iamPolicy, iamPolicyJson, productRole } from '@crdb-ory/core';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { HTTP_PORT, SQL_PORT } from '../cockroach-names';
import { operationsKeyAlias, operationsLogGroupName, operationsNodeAccess, operationsRoleName, portForwardingDocumentName, sessionDocumentName } from './node-access';
import type { NodeOperationsLog } from './node-role';

export interface NodeOperationsProps {
  readonly namePrefix: string;
  readonly region: string;
  /**
   * IAM role or user ARNs (`*` allowed in the name) that may assume the operations role.
   * @default none: the account decides (its IAM policies must allow sts:AssumeRole on the role)
   */
  readonly assumableBy?: readonly string[];
  /** Days the operations log keeps sessions and command output. */
  readonly logRetentionDays: number;
}

/**
 * How people reach the nodes, and the record of it, all per environment (names from the prefix):
 * - the operations role, the only principal the guardrail lets run commands and sessions on the
 *   nodes (`npm run roll` and `npm run restore` run as it);
 * - the operations log: a CloudWatch Logs group encrypted with its own KMS key and retained, where
 *   the SSM agent writes every session's transcript and the output of every command the
 *   operations commands send;
 * - the environment's own Session Manager documents: a shell whose preferences log to that group
 *   and encrypt session data with that key, and port forwarding to 26257 and 8080 only.
 *
 * Session Manager's account preferences (the `SSM-SessionManagerRunShell` document) are one per
 * account and region, so two environments cannot each own them: neither does. Each environment's
 * preferences live in its own session document, and the operations role may start sessions with
 * those documents only (`ssm:SessionDocumentAccessCheck`), so the account's preferences never apply
 * to the nodes (Systems Manager User Guide, "Create a Session Manager preferences document": a
 * document of sessionType Standard_Stream holds session preferences; "Session document schema").
 */
export class NodeOperations extends Construct {
  readonly role: IamRole;
  readonly key: KmsKey;
  readonly logGroup: CloudwatchLogGroup;
  readonly sessionDocument: SsmDocument;
  readonly portForwardingDocument: SsmDocument;
  private readonly props: NodeOperationsProps;
  private readonly account: string;

  constructor(scope: Construct, id: string, props: NodeOperationsProps) {
    super(scope, id);
    this.props = props;
    const partition = awsPartitionOf(props.region);
    this.account = new DataAwsCallerIdentity(this, 'account').accountId;
    const logGroupName = operationsLogGroupName(props.namePrefix);
    this.key = new KmsKey(this, 'key', {
      description: `${props.namePrefix}: CockroachDB operations log and session data`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: iamPolicyJson(this.keyPolicy(partition, logGroupName)),
    });
    new KmsAlias(this, 'key-alias', { name: operationsKeyAlias(props.namePrefix), targetKeyId: this.key.keyId });
    this.logGroup = new CloudwatchLogGroup(this, 'log', { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: this.key.arn });
    this.sessionDocument = new SsmDocument(this, 'session-document', {
      name: sessionDocumentName(props.namePrefix),
      documentType: 'Session',
      documentFormat: 'JSON',
      content: Fn.jsonencode(this.shellSession()),
    });
    this.portForwardingDocument = new SsmDocument(this, 'port-forwarding-document', {
      name: portForwardingDocumentName(props.namePrefix),
      documentType: 'Session',
      documentFormat: 'JSON',
      content: JSON.stringify(portForwardingSession()),
    });
    this.role = productRole(this, 'role', {
      name: operationsRoleName(props.namePrefix),
      description: `${props.namePrefix}: operates the CockroachDB nodes (Run Command, Session Manager, npm run roll and restore)`,
      trust: this.trustStatements(partition),
      // A roll of three nodes can take hours; the commands refuse to start with less than it needs.
      maxSessionDuration: 4 * 3600,
    });
  }

  /** What the nodes' SSM agent writes to and decrypts with. */
  get nodeLog(): NodeOperationsLog {
    return { logGroupArn: this.logGroup.arn, keyArn: this.key.arn };
  }

  /**
   * The operations role's policy: the node access ({@link operationsNodeAccess}) and `extra`
   * (the state access `npm run roll` needs to apply the cockroach stack).
   */
  grant(extra: readonly IamStatement[]): IamRolePolicy {
    const partition = awsPartitionOf(this.props.region);
    const nodeAccess = operationsNodeAccess({ namePrefix: this.props.namePrefix, partition, region: this.props.region, account: this.account, operationsKeyArn: this.key.arn });
    return new IamRolePolicy(this, 'role-policy', { name: 'operate-nodes', role: this.role.id, policy: iamPolicyJson([...nodeAccess, ...extra]) });
  }

  /** Anyone the account's IAM allows (or only `assumableBy`) may assume the role. */
  private trustStatements(partition: string): IamStatement[] {
    const assumableBy = this.props.assumableBy ?? [];
    return [
      {
        Sid: 'AssumedByTheOperators',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${this.account}:root` },
        Action: 'sts:AssumeRole',
        ...(assumableBy.length > 0 ? { Condition: { ArnLike: { 'aws:PrincipalArn': [...assumableBy] } } } : {}),
      },
    ];
  }

  /**
   * The account administers the key and its IAM policies decide who uses it (the KMS default key
   * policy); CloudWatch Logs may use it for this log group only (CloudWatch Logs User Guide,
   * "Encrypt log data in CloudWatch Logs using AWS KMS": the `logs.<region>` service principal,
   * conditioned on `kms:EncryptionContext:aws:logs:arn`).
   */
  private keyPolicy(partition: string, logGroupName: string): IamPolicyDocument {
    const region = this.props.region;
    return iamPolicy([
      accountAdministersKey(partition, this.account, 'TheAccountAdministersTheKeyAndIamDecides'),
      cloudWatchLogsKeyGrant({ sid: 'CloudWatchLogsEncryptsTheOperationsLog', partition, region, account: this.account, dnsSuffix: awsDnsSuffixOf(region), logGroupName }),
    ]);
  }

  /**
   * Shell sessions as root-capable operators get them: streamed to the operations log (which must
   * be encrypted: `cloudWatchEncryptionEnabled`), session data encrypted with the operations key,
   * no S3 copy, no Run As, 20 minutes idle and an hour at most.
   */
  private shellSession() {
    return {
      schemaVersion: '1.0',
      description: `${this.props.namePrefix}: a logged shell on a CockroachDB node`,
      sessionType: 'Standard_Stream',
      inputs: {
        s3BucketName: '',
        s3KeyPrefix: '',
        s3EncryptionEnabled: true,
        cloudWatchLogGroupName: this.logGroup.name,
        cloudWatchEncryptionEnabled: true,
        cloudWatchStreamingEnabled: true,
        kmsKeyId: this.key.keyId,
        runAsEnabled: false,
        runAsDefaultUser: '',
        idleSessionTimeout: '20',
        maxSessionDuration: '60',
        shellProfile: { linux: '', windows: '' },
      },
    };
  }
}

/**
 * Local port forwarding to the node's SQL port or DB Console, nothing else (`allowedValues`),
 * as AWS-StartPortForwardingSession does for any port ("Session document schema": sessionType
 * Port, properties portNumber, type LocalPortForwarding, localPortNumber).
 */
function portForwardingSession() {
  return {
    schemaVersion: '1.0',
    description: 'Port forwarding to a CockroachDB node: SQL (26257) or the DB Console (8080) only',
    sessionType: 'Port',
    parameters: {
      portNumber: { type: 'String', description: 'Port on the node', allowedValues: [String(SQL_PORT), String(HTTP_PORT)] },
      localPortNumber: { type: 'String', description: 'Local port (0: any free port)', allowedPattern: '^[0-9]{1,5}$', default: '0' },
    },
    properties: { portNumber: '{{ portNumber }}', type: 'LocalPortForwarding', localPortNumber: '{{ localPortNumber }}' },
  };
}

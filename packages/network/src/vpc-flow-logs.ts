import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { DEFAULT_LOG_RETENTION_DAYS, childPath, iamPolicyJson, logRetentionProblems, productRole, serviceTrust, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';

export interface VpcFlowLogsProps {
  /** The VPC whose traffic is logged. */
  readonly vpcId: string;
  /** Base name of the log group (`/aws/vpc-flow-logs/<name>`) and of the IAM role (`<name>-flow-logs`). */
  readonly name: string;
  /** Days CloudWatch Logs keeps the records; one of the periods CloudWatch Logs accepts. @default 365 */
  readonly retentionInDays?: number;
  /** KMS key that encrypts the log group. @default none: CloudWatch Logs' own server-side encryption */
  readonly kmsKeyArn?: string;
  /** Which traffic is logged: `ALL`, `ACCEPT` or `REJECT`. @default 'ALL' */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
}

/**
 * VPC flow logs delivered to a CloudWatch Logs group, through a role only VPC Flow Logs can
 * assume, and only on behalf of a flow log of this account and region (`aws:SourceAccount`,
 * `aws:SourceArn`: no confused deputy). The flow log's id is not known before the role exists,
 * so the source ARN matches `vpc-flow-log/*` of this account and region.
 */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    throwIfProblems(childPath(scope, id), logRetentionProblems('retentionInDays', props.retentionInDays ?? DEFAULT_LOG_RETENTION_DAYS));
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/vpc-flow-logs/${props.name}`,
      retentionInDays: props.retentionInDays ?? DEFAULT_LOG_RETENTION_DAYS,
      ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
    });
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').name;
    const role = productRole(this, 'role', {
      name: `${props.name}-flow-logs`,
      trust: [
        serviceTrust('vpc-flow-logs.amazonaws.com', {
          condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` } },
        }),
      ],
    });
    new IamRolePolicy(this, 'delivery', {
      role: role.name,
      name: 'deliver-to-log-group',
      policy: iamPolicyJson([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`] },
        // VPC Flow Logs checks that the destination group exists; the call lists groups, so it
        // cannot be scoped to this one (AWS documents the role's policy with Resource "*").
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      ]),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}

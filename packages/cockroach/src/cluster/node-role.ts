import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { awsPartitionOf, inPartition } from '@crdb-ory/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** Session Manager access (no SSH key, no inbound port). */
export const SSM_MANAGED_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

export interface NodeRoleProps {
  readonly roleName: string;
  readonly region: string;
  /** The only secrets this node may read: its own certificates (plus, on node 1, root's and the license). */
  readonly secretArns: string[];
  /** Key of the certificate secrets; usable only through Secrets Manager. */
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
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${props.region}.amazonaws.com`] }],
        },
      ],
    });
    const secrets = new IamRolePolicy(this, 'secrets-policy', { name: 'read-own-secrets', role: this.role.id, policy: access.json });
    const ssm = new IamRolePolicyAttachment(this, 'ssm', { role: this.role.name, policyArn: inPartition(SSM_MANAGED_POLICY_ARN, awsPartitionOf(props.region)) });
    this.permissions = [secrets, ssm];
    this.instanceProfile = new IamInstanceProfile(this, 'profile', { name: props.roleName, role: this.role.name });
  }
}

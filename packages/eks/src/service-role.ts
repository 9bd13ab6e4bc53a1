import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsPartition, inPartition, productRole, serviceTrust } from '@crdb-ory/core';
import { Construct } from 'constructs';

export interface ServiceRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** Service principal allowed to assume the role, e.g. `eks.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** Managed policies attached to the role, by id (the id names the attachment construct), as documented (`arn:aws:`). */
  readonly managedPolicyArns: Readonly<Record<string, string>>;
  /** Partition the managed policy ARNs are mapped into. @default 'aws' */
  readonly partition?: AwsPartition;
  /** Also allow `sts:TagSession` (EKS cluster and Pod Identity roles need it). @default false */
  readonly allowTagSession?: boolean;
  readonly description: string;
}

/** An IAM role assumed by an AWS service, with its managed policies attached. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The policy attachments: depend on these when the service must hold its permissions before it starts. */
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.role = productRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      trust: [serviceTrust(props.servicePrincipal, { tagSession: props.allowTagSession })],
    });
    this.attachments = Object.entries(props.managedPolicyArns).map(
      ([policyId, policyArn]) => new IamRolePolicyAttachment(this, policyId, { role: this.role.name, policyArn: inPartition(policyArn, props.partition ?? 'aws') }),
    );
  }
}

import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { Construct } from 'constructs';
import { EKS_CLUSTER_ADMIN_ACCESS_POLICY } from './aws-managed-policies';
import { invalidProp } from './prop-errors';

export interface EksClusterAdminsProps {
  readonly clusterName: string;
  /**
   * IAM role or user ARNs granted cluster-admin (AmazonEKSClusterAdminPolicy, cluster scope).
   * Not STS assumed-role session ARNs: name the role itself.
   */
  readonly principalArns: readonly string[];
}

const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/**
 * Access entries with cluster-admin for the given principals: with `API` authentication and
 * no cluster-creator bootstrap, these are the only humans (or pipelines) that can use kubectl.
 * Construct ids derive from the ARN, so adding or removing one principal leaves the others alone.
 */
export class EksClusterAdmins extends Construct {
  readonly accessEntries: EksAccessEntry[];
  readonly policyAssociations: EksAccessPolicyAssociation[];

  constructor(scope: Construct, id: string, props: EksClusterAdminsProps) {
    super(scope, id);
    validate(props.principalArns);
    this.accessEntries = [];
    this.policyAssociations = [];
    for (const principalArn of props.principalArns) {
      const entryId = principalId(principalArn);
      const entry = new EksAccessEntry(this, entryId, { clusterName: props.clusterName, principalArn, type: 'STANDARD' });
      this.accessEntries.push(entry);
      this.policyAssociations.push(
        new EksAccessPolicyAssociation(this, `${entryId}-cluster-admin`, {
          clusterName: props.clusterName,
          principalArn: entry.principalArn,
          policyArn: EKS_CLUSTER_ADMIN_ACCESS_POLICY,
          accessScope: { type: 'cluster' },
        }),
      );
    }
  }
}

/** `arn:aws:iam::123456789012:role/Admin` -> `123456789012-role-Admin`. */
function principalId(arn: string): string {
  return arn.replace(/^arn:aws[a-z-]*:iam::/, '').replace(/[^A-Za-z0-9-]+/g, '-');
}

function validate(arns: readonly string[]): void {
  for (const arn of arns) {
    if (!IAM_PRINCIPAL.test(arn)) {
      invalidProp('EksClusterAdmins', 'principalArns', arn, 'expected an IAM role or user ARN like arn:aws:iam::123456789012:role/Admin');
    }
  }
  const duplicates = arns.filter((arn, i) => arns.indexOf(arn) !== i);
  if (duplicates.length > 0) invalidProp('EksClusterAdmins', 'principalArns', duplicates, 'each principal may appear once');
}

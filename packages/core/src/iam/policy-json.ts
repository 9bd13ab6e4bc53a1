import { IamRole, IamRoleConfig } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import type { IamConditions, IamPolicyDocument, IamStatement } from './policy-document';
import { iamPolicy } from './policy-document';

/**
 * The one way the product writes an IAM policy (identity, trust or resource policy): statements
 * as data ({@link IamStatement}), rendered here into the literal JSON AWS receives. Terraform
 * fills in the references (`${aws_kms_key.x.arn}`) as string templates; nothing else
 * evaluates the document, so plans show it as written, the offline review can `jsondecode` it,
 * and the policy gate reads every statement from the synthesized JSON (an
 * `aws_iam_policy_document` data source would add a data source to every plan and a random
 * string under the review's mock provider; a `jsonencode(...)` expression cannot be read before
 * plan). IAM policy variables (`${aws:userid}`) are escaped as `$${...}` so Terraform keeps them
 * literal (Terraform docs, "Strings and Templates": `$${` is a literal `${`); cdktf tokens
 * (`${TfToken[...]}`) are left for cdktf to resolve. Only string-valued references fit in a
 * document; a list-valued token must be split into its elements first.
 */
export function iamPolicyJson(document: IamPolicyDocument | readonly IamStatement[]): string {
  const policy = isDocument(document) ? document : iamPolicy(document);
  return JSON.stringify(policy, (_key, value: unknown) => (typeof value === 'string' ? value.replace(/\$\{(?!TfToken\[)/g, () => '$${') : value));
}

/** The statement letting an AWS service assume a role (`sts:AssumeRole`, plus `sts:TagSession` where the service tags its sessions), under `condition` if given. */
export function serviceTrust(service: string, options: { readonly tagSession?: boolean; readonly condition?: IamConditions; readonly sid?: string } = {}): IamStatement {
  return {
    ...(options.sid ? { Sid: options.sid } : {}),
    Effect: 'Allow',
    Principal: { Service: service },
    Action: options.tagSession ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'],
    ...(options.condition ? { Condition: options.condition } : {}),
  };
}

export interface ProductRoleProps extends Omit<IamRoleConfig, 'assumeRolePolicy'> {
  /** Who may assume the role: the trust policy's statements (see {@link serviceTrust}). */
  readonly trust: readonly IamStatement[];
}

/** The one way the product builds an IAM role: an `aws_iam_role` with id `id` whose trust policy is {@link iamPolicyJson} of `trust`. */
export function productRole(scope: Construct, id: string, props: ProductRoleProps): IamRole {
  const { trust, ...config } = props;
  return new IamRole(scope, id, { ...config, assumeRolePolicy: iamPolicyJson(trust) });
}

function isDocument(value: IamPolicyDocument | readonly IamStatement[]): value is IamPolicyDocument {
  return !Array.isArray(value);
}

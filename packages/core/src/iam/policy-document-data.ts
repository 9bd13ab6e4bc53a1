import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Construct } from 'constructs';
import type { IamPolicyDocument, IamStatement } from './policy-document';

/**
 * A generated policy document as an `aws_iam_policy_document` data source: the provider renders
 * the JSON, plans show each statement, and the policy gate reads it. IAM policy variables
 * (`${aws:userid}`) are escaped as `$${...}` so Terraform keeps them literal (Terraform docs,
 * "Strings and Templates": `$${` is a literal `${`); cdktf tokens are left as they are.
 */
export function iamPolicyDocumentData(scope: Construct, id: string, document: IamPolicyDocument): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, { statement: document.Statement.map(statementBlock) });
}

function statementBlock(statement: IamStatement): DataAwsIamPolicyDocumentStatement {
  return {
    ...(statement.Sid ? { sid: statement.Sid } : {}),
    effect: statement.Effect,
    actions: list(statement.Action),
    resources: list(statement.Resource).map(literal),
    ...(statement.Condition
      ? {
          condition: Object.entries(statement.Condition).flatMap(([test, keys]) => Object.entries(keys).map(([variable, values]) => ({ test, variable, values: list(values).map(literal) }))),
        }
      : {}),
  };
}

/** `${` of an IAM policy variable becomes `$${`; a cdktf token (`${TfToken[...]}`) stays. */
function literal(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${');
}

function list(value: string | readonly string[]): string[] {
  return Array.isArray(value) ? [...(value as readonly string[])] : [value as string];
}

import { policyStatements, instanceRoles, namesRole, type ReadStatement } from '../iam-documents';
import { problemAt, stackRule, type LocatedProblem } from '../declare-rule';
import type { ResourceEntry, StackDocument } from '../stack-document';

/**
 * AWS managed policies that let an instance read every SSM parameter of the account (AWS Managed
 * Policy Reference: AmazonSSMManagedInstanceCore and AmazonEC2RoleforSSM allow ssm:GetParameter and
 * ssm:GetParameters on "*"; AmazonSSMFullAccess ssm:* and AmazonSSMReadOnlyAccess ssm:Get* on "*";
 * ReadOnlyAccess, PowerUserAccess and AdministratorAccess cover them too).
 */
export const MANAGED_POLICIES_READING_EVERY_PARAMETER: readonly string[] = [
  'AmazonSSMManagedInstanceCore',
  'service-role/AmazonEC2RoleforSSM',
  'AmazonSSMFullAccess',
  'AmazonSSMReadOnlyAccess',
  'ReadOnlyAccess',
  'PowerUserAccess',
  'AdministratorAccess',
];

const PARAMETER_READS = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory'];

/**
 * CRDB-SSM-001: a role EC2 instances assume grants the SSM agent what it needs and nothing more:
 * no AWS managed policy that reads every SSM parameter of the account, and no inline statement
 * allowing a parameter read on every parameter (`*`, `parameter/*`). An instance's role is
 * available to everything that runs on it.
 */
export const INSTANCE_ROLE_SSM_LEAST_PRIVILEGE = stackRule({
  id: 'CRDB-SSM-001',
  description: 'Instance roles read no SSM parameter they were not given by name (no AmazonSSMManagedInstanceCore, no ssm:GetParameter* on *).',
  fix: 'grant the SSM agent its own actions only (ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*; see the cockroach node role) and any parameter the instance needs by its ARN',
  check(stack) {
    return instanceRoles(stack).flatMap((role) => [...managed(stack, role), ...inline(stack, role)]);
  },
});

function managed(stack: StackDocument, role: ResourceEntry): LocatedProblem[] {
  return stack
    .resources('aws_iam_role_policy_attachment')
    .filter((attachment) => namesRole(attachment.config['role'], role))
    .flatMap((attachment) => {
      const arn = String(attachment.config['policy_arn'] ?? '');
      const policy = MANAGED_POLICIES_READING_EVERY_PARAMETER.find((name) => new RegExp(`^arn:aws[a-z-]*:iam::aws:policy/${name}$`).test(arn));
      return policy ? [problemAt(attachment, `attaches ${policy} to instance role ${role.address}: it reads every SSM parameter of the account`)] : [];
    });
}

function inline(stack: StackDocument, role: ResourceEntry): LocatedProblem[] {
  return stack
    .resources('aws_iam_role_policy')
    .filter((policy) => namesRole(policy.config['role'], role))
    .flatMap((policy) => {
      const statements = policyStatements(stack, policy.config['policy']);
      if (!statements) return [problemAt(policy, { message: `the policy of instance role ${role.address} cannot be read at synthesis, so its SSM parameter access cannot be checked`, fix: 'write it as an aws_iam_policy_document data source or a literal JSON document' })];
      return statements.filter(readsEveryParameter).map((s) => problemAt(policy, `instance role ${role.address} may ${s.actions.join(', ')} on ${s.resources.join(', ')}: every SSM parameter of the account`));
    });
}

function readsEveryParameter(statement: ReadStatement): boolean {
  if (statement.effect !== 'Allow') return false;
  const reads = statement.actions.some((action) => PARAMETER_READS.some((read) => new RegExp(`^${action.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(read)));
  return reads && statement.resources.some((resource) => resource === '*' || /:parameter\/?\*$/.test(resource));
}

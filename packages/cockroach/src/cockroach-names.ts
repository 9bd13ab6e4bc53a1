import type { PropProblem } from '@crdb-ory/core';
// No cdktf import here: the operations CLI (src/ops) reads these names and starts without loading
// cdktf (node-private-ip.ts holds the one Terraform expression).

/** One node per availability zone. */
export const NODE_COUNT = 3;

/** Host offset of each node's fixed private IP in its subnet (AWS reserves .0-.3). */
export const NODE_IP_HOST_OFFSET = 10;
export const SQL_PORT = 26257;
export const HTTP_PORT = 8080;

/** DNS name of node `index` (0-based) in the private zone: `node-1.<zone>`. */
export function nodeDnsName(privateZoneName: string, index: number): string {
  return `node-${index + 1}.${privateZoneName}`;
}

/** The load balancer's stable name, carried by every node certificate before the NLB exists. */
export function sqlDnsName(privateZoneName: string): string {
  return `sql.${privateZoneName}`;
}

/** Name of node `index` (0-based): its instance's Name tag, IAM role and instance profile. */
export function nodeName(namePrefix: string, index: number): string {
  return `${namePrefix}-cockroach-node-${index + 1}`;
}

/**
 * The longest name built from the prefix is the target group's `<prefix>-sql-nodes`, which AWS
 * limits to 32 characters: so the prefix may have at most 22.
 */
export const SQL_TARGET_GROUP_SUFFIX = '-sql-nodes';
export const NAME_PREFIX_MAX_LENGTH = 32 - SQL_TARGET_GROUP_SUFFIX.length;
/** The shortest prefix: a name that still says whose resources they are. */
export const NAME_PREFIX_MIN_LENGTH = 3;

/** What a name prefix may be, as every message and document says it. The one statement of the rule: `namePrefixProblems` checks it. */
export const NAME_PREFIX_RULE = `${NAME_PREFIX_MIN_LENGTH}-${NAME_PREFIX_MAX_LENGTH} characters of a-z, 0-9 and "-", starting with a letter and ending with a letter or digit`;
const NAME_PREFIX_PATTERN = new RegExp(`^[a-z][a-z0-9-]{${NAME_PREFIX_MIN_LENGTH - 2},${NAME_PREFIX_MAX_LENGTH - 2}}[a-z0-9]$`);

/**
 * The prefix of every name this product gives AWS resources (`namePrefix`): ${NAME_PREFIX_RULE}.
 * The longest name built from it, the target group `<prefix>-sql-nodes`, has AWS's 32-character limit.
 */
export function namePrefixProblems(prefix: string, prop = 'namePrefix'): PropProblem[] {
  return NAME_PREFIX_PATTERN.test(prefix)
    ? []
    : [{ prop, value: prefix, message: `allowed are ${NAME_PREFIX_RULE} (the target group name "<prefix>${SQL_TARGET_GROUP_SUFFIX}" is limited to 32 characters)` }];
}

/**
 * The ARN of an IAM role by name (path `/`), for policies written before the role exists
 * (conditions on `aws:PrincipalArn`). The one place this package builds an IAM role ARN.
 */
export function iamRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

const OPERATIONS_ROLE_SUFFIX = '-cockroach-operator';

/** The role that operates the nodes (`npm run roll`, `npm run restore`, sessions): `<prefix>-cockroach-operator`. */
export function operationsRoleName(namePrefix: string): string {
  return `${namePrefix}${OPERATIONS_ROLE_SUFFIX}`;
}

/**
 * The `namePrefix` of the cockroach stack whose operations role is `roleArn` (its
 * `operations_role_arn` output): the inverse of {@link operationsRoleName}, so the operations CLI
 * finds what the stack was named from in what it applied. Undefined for a role not named so.
 */
export function namePrefixOfOperationsRole(roleArn: string): string | undefined {
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(roleArn)?.[1];
  return name?.endsWith(OPERATIONS_ROLE_SUFFIX) && name.length > OPERATIONS_ROLE_SUFFIX.length ? name.slice(0, -OPERATIONS_ROLE_SUFFIX.length) : undefined;
}

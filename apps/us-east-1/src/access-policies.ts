import { COCKROACH_STACK_NAME, nodeAccessGuardrail, operationsNodeAccess } from '@crdb-ory/cockroach';
import { IamPolicyDocument, ProductStack, awsPartitionOf, iamPolicy, stateAccessEnvironmentOf, stateAccessPolicy } from '@crdb-ory/core';
import { STATE_STACK_NAME } from '@crdb-ory/state';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';

export { ACCESS_DIR } from '@crdb-ory/deployment';

/**
 * The IAM policies of the environment's roles, as documents to attach (docs/access.md), by file
 * name, generated from the app's own stacks and reads:
 * - `<stack>-deployer.json`: what a role that plans and applies `<stack>` needs of the state
 *   bucket, the state key and the published outputs (its own state and lock file; the state of
 *   the stacks it reads through remote state; the parameters it reads or publishes; nothing
 *   else). The `state` stack keeps local state and has none. Attach it next to the stack's own
 *   resource permissions. With a local backend (no S3 state) there is nothing to grant;
 * - `cockroach-operations.json`: the operations role's policy, which the cockroach stack attaches
 *   to the role it creates (there with the account and the session key's ARN filled in): the
 *   cockroach stack's state access (the roll applies it) and its access to the nodes;
 * - `cockroach-nodes-guardrail.json`: the service control policy that leaves Run Command and
 *   Session Manager on the nodes to the operations role alone.
 */
export function accessPolicies(app: App, config: DeploymentConfig): Record<string, IamPolicyDocument> {
  const stacks = app.node.children.filter((child): child is ProductStack => child instanceof ProductStack && child.stackName !== STATE_STACK_NAME);
  const partition = awsPartitionOf(config.region);
  const policies: Record<string, IamPolicyDocument> = {};
  for (const stack of stacks) {
    const env = stateAccessEnvironmentOf(stack.stateBackend, stack.namePrefix, config.region);
    const stateAccess = env ? stateAccessPolicy(stack.stateAccess, env).Statement : [];
    if (env) policies[`${stack.stackName}-deployer.json`] = iamPolicy(stateAccess);
    if (stack.stackName === COCKROACH_STACK_NAME) {
      policies['cockroach-operations.json'] = iamPolicy([...operationsNodeAccess({ namePrefix: stack.namePrefix, partition, region: config.region }), ...stateAccess]);
    }
  }
  policies['cockroach-nodes-guardrail.json'] = nodeAccessGuardrail({ namePrefix: config.namePrefix, partition });
  return policies;
}

import { problemAt, stackRule } from '../declare-rule';
import type { ResourceEntry, StackDocument } from '../stack-document';
import { remoteStateLocationOf, stateLocationOf } from '../state-readers';

/**
 * Resource types whose state holds a private key Terraform generated (a computed attribute, so
 * no argument names it): hashicorp/tls `tls_private_key` (private_key_pem, private_key_openssh,
 * private_key_pem_pkcs8), `aws_iam_access_key` (secret), `aws_lightsail_key_pair` (private_key),
 * vancluever/acme `acme_registration` (account_key_pem when generated). Any other resource with
 * an argument named like `*private_key*` (tls_self_signed_cert.private_key_pem,
 * tls_locally_signed_cert.ca_private_key_pem, aws_acm_certificate.private_key,
 * aws_iam_server_certificate.private_key) keeps that argument's value in state too.
 */
export const PRIVATE_KEY_RESOURCE_TYPES: readonly string[] = ['tls_private_key', 'aws_iam_access_key', 'aws_lightsail_key_pair', 'acme_registration'];

/**
 * CRDB-STATE-001: a stack whose state holds a private key is never read through
 * `terraform_remote_state` by another stack. Reading remote state needs the whole state snapshot
 * ("The terraform_remote_state Data Source", Terraform docs: "...the full state snapshot ... must
 * be accessible... This is necessary because Terraform has no way to selectively grant read
 * access to particular outputs"), so every reader could read every key. Publish what others need
 * through a channel without secrets (`defineOutputsContract(..., { channel: 'ssm-parameters' })`).
 */
export const NO_REMOTE_STATE_OF_KEY_HOLDER = stackRule({
  id: 'CRDB-STATE-001',
  description: 'No stack reads, through terraform_remote_state, the state of a stack that holds private keys.',
  fix: 'publish what this stack needs through SSM parameters (an outputs contract with channel \'ssm-parameters\') and read that instead',
  check(stack, context) {
    const holders = (context.appStacks ?? []).filter((other) => other.stackName !== stack.stackName).flatMap((other) => {
      const keys = privateKeyHolders(other);
      const location = stateLocationOf(other);
      return keys.length > 0 && location ? [{ other, keys, location }] : [];
    });
    return stack.dataSources().filter((source) => source.type === 'terraform_remote_state').flatMap((read) => {
      const location = remoteStateLocationOf(read);
      const holder = holders.find((candidate) => candidate.location === location);
      if (!holder) return [];
      const examples = holder.keys.slice(0, 3).map((entry) => entry.address).join(', ');
      return [
        problemAt(read, {
          message: `reads the state of stack "${holder.other.stackName}", which holds private keys (${examples}${holder.keys.length > 3 ? ', ...' : ''}): reading remote state reads the whole state, keys included`,
          fix: `publish what this stack needs from "${holder.other.stackName}" through SSM parameters (an outputs contract with channel 'ssm-parameters') and read that instead`,
        }),
      ];
    });
  },
});

/** The resources of `stack` whose state holds a private key. */
export function privateKeyHolders(stack: StackDocument): ResourceEntry[] {
  return stack.allResources().filter((entry) => PRIVATE_KEY_RESOURCE_TYPES.includes(entry.type) || Object.keys(entry.config).some((argument) => /private_key/.test(argument)));
}

/**
 * Bootstrap completion, published where the `ory` stack's plan can check it: an SSM parameter
 * (String) the `cockroach` stack creates as "pending" and node 1's bootstrap overwrites once
 * `cockroach init`, the databases, users and grants, the license and the backup schedule are all
 * done. cdktf-free: the bootstrap script, the cockroach stack and the ory stack share it.
 */

/** `/<namePrefix>/cockroach/bootstrap-status`: one per environment (SSM names are unique per account and region). */
export function bootstrapStatusParameterName(namePrefix: string): string {
  return `/${namePrefix}/cockroach/bootstrap-status`;
}

/** What the parameter holds until the bootstrap has finished (Terraform writes it, then ignores the value). */
export const BOOTSTRAP_PENDING_VALUE = 'pending: node 1 has not finished the bootstrap (cockroach init, databases, users, grants)';

/** The value the bootstrap writes starts with this word, then `cluster=<id> at=<UTC time>`. */
export const BOOTSTRAP_COMPLETE_WORD = 'complete';

/**
 * The Terraform condition (over `value`, an expression) that holds once the bootstrap has
 * finished: what the ory stack checks before it creates anything that connects to CockroachDB.
 */
export function bootstrapCompleteCondition(value: string): string {
  return `startswith(${value}, "${BOOTSTRAP_COMPLETE_WORD} ")`;
}

/** The plan's message while the bootstrap has not finished (`parameter`: its name). */
export function bootstrapPendingMessage(parameter: string): string {
  return (
    `CockroachDB's bootstrap has not finished (SSM parameter ${parameter} does not start with "${BOOTSTRAP_COMPLETE_WORD}"): ` +
    "the databases, users and grants Ory's migrations need may not exist yet. Wait for cockroach-bootstrap.service on node 1 to finish " +
    '(`journalctl -u cockroach-bootstrap` in a Session Manager session on node 1), then plan again.'
  );
}

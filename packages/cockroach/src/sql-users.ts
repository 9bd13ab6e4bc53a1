import type { PropProblem } from '@crdb-ory/core';

/** The Ory services that keep their state in CockroachDB; each gets a database of the same name. */
export const ORY_DATABASES = ['hydra', 'kratos', 'keto'] as const;
export type OryDatabase = (typeof ORY_DATABASES)[number];

/** SQL user names: one per Ory service (owns its database's tables) and a read-only verifier. */
export interface SqlUserNames {
  readonly hydra: string;
  readonly kratos: string;
  readonly keto: string;
  readonly verifier: string;
}

export const DEFAULT_SQL_USERS: SqlUserNames = { hydra: 'hydra', kratos: 'kratos', keto: 'keto', verifier: 'verifier' };

/** Names CockroachDB reserves or that the cluster itself uses. */
const RESERVED_USERS = ['root', 'admin', 'node', 'public', 'none'];
const SQL_USER_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Every user name that cannot be used unquoted in SQL, in a certificate file name
 * (`client.<user>.crt`) and in a secret name, or that collides with another or a reserved one;
 * each under `<prop>.<role>` (`sqlUsers.hydra`).
 */
export function sqlUserProblems(users: SqlUserNames, prop = 'sqlUsers'): PropProblem[] {
  const problems: PropProblem[] = [];
  for (const [role, name] of Object.entries(users)) {
    if (!SQL_USER_PATTERN.test(name)) {
      problems.push({ prop: `${prop}.${role}`, value: name, message: 'allowed: 1-63 of a-z, 0-9 and "_", not starting with a digit' });
    } else if (RESERVED_USERS.includes(name)) {
      problems.push({ prop: `${prop}.${role}`, value: name, message: `is a name CockroachDB reserves (${RESERVED_USERS.join(', ')}); choose another` });
    }
  }
  const names = Object.values(users);
  if (new Set(names).size !== names.length) problems.push({ prop, value: names, message: 'must be four distinct names' });
  return problems;
}

/** Every client certificate the PKI issues: `root` (bootstrap) plus the four users. */
export function clientCertificateUsers(users: SqlUserNames): string[] {
  return ['root', users.hydra, users.kratos, users.keto, users.verifier];
}

import type { ProductStackProps } from '@crdb-ory/core';
import type { SqlUserNames } from './sql-users';

/** Props both CockroachDB stacks share. */
export interface CockroachCommonProps extends ProductStackProps {
  /** AWS region of every resource. */
  readonly region: string;
  /** Tags on every taggable resource (provider `default_tags`). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Prefix of resource and secret names (`<prefix>/cockroach/node-1`, `<prefix>-cockroach-node-1`).
   * Both stacks must use the same one.
   * @default 'crdb-ory'
   */
  readonly namePrefix?: string;
  /**
   * SQL user names; both stacks must use the same ones.
   * @default hydra, kratos, keto and verifier
   */
  readonly sqlUsers?: SqlUserNames;
}

export { DEFAULT_NAME_PREFIX } from '@crdb-ory/core';

/** Name of a secret of this product: `<prefix>/cockroach/<leaf>`. */
export function cockroachSecretName(namePrefix: string, leaf: string): string {
  return `${namePrefix}/cockroach/${leaf}`;
}

/**
 * The environment prefix of every name AWS wants unique per account (and region) when the
 * configuration sets none. Two environments in one account need two prefixes.
 */
export const DEFAULT_NAME_PREFIX = 'crdb-ory';

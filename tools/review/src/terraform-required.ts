/** Set to 1 to let CI pass when no Terraform check could run (no terraform CLI, no installable provider). */
export const ALLOW_UNCHECKED_ENV = 'CRDB_ORY_REVIEW_ALLOW_UNCHECKED';

/** In CI (`CI` set and not false/0) the Terraform checks must run, unless explicitly allowed not to. */
export function terraformRequired(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return ci && env[ALLOW_UNCHECKED_ENV] !== '1';
}

import { stringRule } from '../declare-rule';

/** Keys whose value is a credential. */
const PASSWORD_KEY = /(^|_)(password|passwd)$|^secret_string$|^client_secret$|^auth_token$/i;
/** `scheme://user:password@` where the password is a literal, not a `${...}` reference. */
const DSN_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:(?!\$\{)[^\s@/]+@/i;

/** CRDB-SECRET-002: no literal password or DSN with a literal password. */
export const NO_LITERAL_PASSWORD = stringRule({
  id: 'CRDB-SECRET-002',
  description: 'No literal password, and no connection string (DSN) with a literal password, in the synthesized JSON.',
  fix: 'generate it (random_password) or read it from AWS Secrets Manager and pass a reference; CockroachDB users authenticate with client certificates instead',
  test: ({ path, value }) => (isLiteralPassword(path, value) || DSN_WITH_PASSWORD.test(value) ? `a literal credential is written at ${path.join('.')}` : undefined),
});

function isLiteralPassword(path: readonly string[], value: string): boolean {
  const key = path[path.length - 1] ?? '';
  const named = PASSWORD_KEY.test(key) || (key === 'value' && PASSWORD_KEY.test(String(path[path.length - 2] ?? '')));
  return named && value.length > 0 && !value.includes('${');
}

import { Password } from '@cdktf/provider-random/lib/password';
import { Construct } from 'constructs';

/**
 * A random secret created once at the first apply and kept in the stack's state: it is the same
 * on every later plan, so neither a deploy nor a Helm upgrade rotates it. Letters and digits
 * only, so it is safe in environment variables and in the comma-separated lists Ory parses.
 */
export function generatedSecret(scope: Construct, id: string, length: number): string {
  return new Password(scope, id, { length, special: false, minUpper: 1, minLower: 1, minNumeric: 1 }).result;
}

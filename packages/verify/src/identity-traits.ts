import { randomBytes } from 'node:crypto';
import { VerifyError } from './errors';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON Schema

/** A test identity built from the identity schema Kratos serves: its traits, the login identifier and a password. */
export interface TestIdentity {
  readonly traits: Record<string, unknown>;
  /** Dotted path of the trait marked `ory.sh/kratos.credentials.password.identifier`. */
  readonly identifierPath: string;
  readonly identifier: string;
  readonly password: string;
}

const SCHEMA_CAUSE = 'the identity schema has a trait the verifier cannot fill in (give it a simpler schema to verify with, --kratos-identity-schema-id)';

function stringFor(schema: Schema, path: string, runId: string): string {
  if (Array.isArray(schema['enum'])) return String(schema['enum'][0]);
  if (schema['pattern']) throw new VerifyError('config', `identity schema trait ${path} has a pattern (${String(schema['pattern'])})`, SCHEMA_CAUSE);
  const value = schema['format'] === 'email' ? `crdb-ory-verify+${runId}@example.com` : `verify-${runId}`;
  const max = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : undefined;
  if (max !== undefined && value.length > max) throw new VerifyError('config', `identity schema trait ${path} allows at most ${max} characters, the test value has ${value.length}`, SCHEMA_CAUSE);
  return value;
}

function valueFor(schema: Schema, path: string, runId: string): unknown {
  if ('const' in schema) return schema['const'];
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  switch (type) {
    case 'string':
      return stringFor(schema, path, runId);
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'object':
      return objectFor(schema, path, runId);
    default:
      throw new VerifyError('config', `identity schema trait ${path} has type ${JSON.stringify(schema['type'])}`, SCHEMA_CAUSE);
  }
}

function objectFor(schema: Schema, path: string, runId: string): Record<string, unknown> {
  const properties: Record<string, Schema> = schema['properties'] ?? {};
  return Object.fromEntries(Object.entries(properties).filter(([, sub]) => sub['type'] !== 'array').map(([name, sub]) => [name, valueFor(sub, `${path}.${name}`, runId)]));
}

function identifierPaths(schema: Schema, path: string): string[] {
  const own = schema['ory.sh/kratos']?.credentials?.password?.identifier === true ? [path] : [];
  return [...own, ...Object.entries((schema['properties'] ?? {}) as Record<string, Schema>).flatMap(([name, sub]) => identifierPaths(sub, `${path}.${name}`))];
}

/** The value at a dotted path (`traits.email`) of `{ traits }`. */
export function traitAt(traits: Record<string, unknown>, path: string): unknown {
  return path.split('.').slice(1).reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), traits);
}

/**
 * Traits for every property of the schema's `traits` (an email where `format: email`, a run-tagged
 * string otherwise), the password identifier the schema marks, and a random password.
 */
export function identityFromSchema(identitySchema: Schema, runId: string): TestIdentity {
  const traitsSchema = identitySchema['properties']?.traits;
  if (!traitsSchema || typeof traitsSchema !== 'object') throw new VerifyError('api', 'the identity schema has no properties.traits', SCHEMA_CAUSE);
  const traits = objectFor(traitsSchema, 'traits', runId);
  const [identifierPath] = identifierPaths(traitsSchema, 'traits');
  if (!identifierPath) throw new VerifyError('api', 'the identity schema marks no trait as the password identifier (ory.sh/kratos.credentials.password.identifier)', 'password login cannot work with this identity schema');
  return { traits, identifierPath, identifier: String(traitAt(traits, identifierPath)), password: `${randomBytes(24).toString('base64url')}-Aa1` };
}

/** File name of the identity schema in the chart's config volume (mounted at /etc/config). */
export const IDENTITY_SCHEMA_FILE = 'identity.default.schema.json';
export const IDENTITY_SCHEMA_ID = 'default';

/**
 * The default identity: `email` is the password login identifier, plus `name.first` and
 * `name.last`. Plain JSON Schema with Kratos's `ory.sh/kratos` extension keywords.
 */
export function defaultIdentitySchema(): Record<string, unknown> {
  return {
    $id: 'https://schemas.crdb-ory.io/identity.default.schema.json',
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Person',
    type: 'object',
    properties: {
      traits: {
        type: 'object',
        properties: {
          email: {
            type: 'string',
            format: 'email',
            title: 'E-Mail',
            maxLength: 320,
            'ory.sh/kratos': { credentials: { password: { identifier: true } } },
          },
          name: {
            type: 'object',
            properties: {
              first: { type: 'string', title: 'First name', maxLength: 256 },
              last: { type: 'string', title: 'Last name', maxLength: 256 },
            },
            additionalProperties: false,
          },
        },
        required: ['email'],
        additionalProperties: false,
      },
    },
  };
}

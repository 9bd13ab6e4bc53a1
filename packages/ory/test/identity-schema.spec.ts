import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { defaultIdentitySchema } from '../src';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(defaultIdentitySchema());

describe('Kratos default identity schema', () => {
  it('accepts an identity with email and first/last name', () => {
    expect(validate({ traits: { email: 'ada@example.com', name: { first: 'Ada', last: 'Lovelace' } } })).toBe(true);
    expect(validate({ traits: { email: 'ada@example.com' } })).toBe(true);
  });

  it('requires a valid email and rejects unknown traits', () => {
    expect(validate({ traits: { name: { first: 'Ada' } } })).toBe(false);
    expect(validate({ traits: { email: 'not-an-email' } })).toBe(false);
    expect(validate({ traits: { email: 'ada@example.com', nickname: 'ada' } })).toBe(false);
    expect(validate({ traits: { email: 'ada@example.com', name: { middle: 'B' } } })).toBe(false);
  });

  it('makes email the password login identifier', () => {
    const email = (defaultIdentitySchema() as any).properties.traits.properties.email;
    expect(email['ory.sh/kratos']).toEqual({ credentials: { password: { identifier: true } } });
  });
});

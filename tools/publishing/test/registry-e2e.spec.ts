import { describe, expect, it } from 'vitest';
import { providerAddress } from '../src';

describe('providerAddress', () => {
  it.each([
    ['aws', 'hashicorp/aws'],
    ['hashicorp/aws', 'hashicorp/aws'],
    ['registry.terraform.io/hashicorp/tls', 'hashicorp/tls'],
    ['cyrilgdn/postgresql', 'cyrilgdn/postgresql'],
  ])('%s -> %s', (source, address) => {
    expect(providerAddress(source)).toBe(address);
  });
});

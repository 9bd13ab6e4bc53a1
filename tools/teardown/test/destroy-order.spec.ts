import { describe, expect, it } from 'vitest';
import { destroyOrder } from '../src';

const stack = (name: string, ...dependencies: string[]) => ({ name, dependencies });

describe('destroyOrder', () => {
  it('puts every stack after the stacks that depend on it', () => {
    const order = destroyOrder([
      stack('state'),
      stack('network', 'state'),
      stack('cockroach-pki', 'state', 'network'),
      stack('cockroach-backup', 'state', 'network'),
      stack('cockroach', 'state', 'network', 'cockroach-pki', 'cockroach-backup'),
      stack('eks', 'state', 'network'),
      stack('ory', 'state', 'network', 'cockroach', 'cockroach-pki', 'eks'),
    ]).map((s) => s.name);
    expect(order).toEqual(['ory', 'cockroach', 'cockroach-pki', 'cockroach-backup', 'eks', 'network', 'state']);
  });

  it('ignores dependencies on stacks it is not given, and refuses a cycle', () => {
    expect(destroyOrder([stack('b', 'a', 'elsewhere'), stack('a')]).map((s) => s.name)).toEqual(['b', 'a']);
    expect(() => destroyOrder([stack('a', 'b'), stack('b', 'a')])).toThrow(/cycle: a, b/);
  });
});

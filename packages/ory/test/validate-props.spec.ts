import { ValidationError } from '@crdb-ory/core';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ORY_REPLICA_LIMITS, ORY_SQL_POOL_LIMITS, OryStack, OryStackProps, oryStackPropProblems, validateOryStackProps } from '../src';
import { BASE_PROPS } from './support/synth-ory';

const messageOf = (overrides: Partial<OryStackProps>): string => {
  try {
    validateOryStackProps({ ...BASE_PROPS, ...overrides });
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('OryStack props', () => {
  it('accepts the defaults and a full production setup', () => {
    expect(messageOf({})).toBe('');
    expect(messageOf({ domain: 'example.com', publicAccessCidrs: ['203.0.113.0/24'], exposeKetoReadApi: true, hydraIssuerUrl: 'https://id.example.com/' })).toBe('');
  });

  it('names the prop, the value and what is allowed', () => {
    expect(messageOf({ hydra: { replicas: 0 } })).toContain('hydra.replicas = 0: must be a whole number from 1 to 30');
    expect(messageOf({ domain: 'example.com', hydraIssuerUrl: 'http://hydra.example.com/' })).toContain(
      'hydraIssuerUrl = "http://hydra.example.com/": must be an https URL when domain is set (production mode)',
    );
    expect(messageOf({ kratosPublicUrl: 'kratos' })).toContain('kratosPublicUrl = "kratos": must be an http(s) URL');
    expect(messageOf({ publicAccessCidrs: ['0.0.0.0/33'] })).toContain('publicAccessCidrs[0] = "0.0.0.0/33": has a prefix length above 32');
    expect(messageOf({ exposeKetoReadApi: true })).toContain('exposeKetoReadApi = true: publishes through the public load balancer, which exists only when publicAccessCidrs lists at least one CIDR');
    expect(messageOf({ ketoNamespaces: ['documents', 'documents'] })).toContain('must not repeat a namespace');
    expect(messageOf({ ketoNamespaces: [] })).toContain('must list at least one namespace');
    expect(messageOf({ ketoNamespaces: ['Docs'] })).toContain('ketoNamespaces = "Docs": must be a namespace name');
    expect(messageOf({ sqlMaxConnLifetimeSeconds: 350 })).toContain('sqlMaxConnLifetimeSeconds = 350: must be whole seconds from 10 to 349: below the load balancer idle timeout (350)');
    expect(messageOf({ sqlMaxConns: 1.5 })).toContain('sqlMaxConns = 1.5');
  });

  it('holds the pool and replica limits the product accepts (ORY_SQL_POOL_LIMITS, ORY_REPLICA_LIMITS), which the app no longer repeats', () => {
    expect(messageOf({ sqlMaxConns: ORY_SQL_POOL_LIMITS.maxConns.max })).toBe('');
    expect(messageOf({ sqlMaxConns: ORY_SQL_POOL_LIMITS.maxConns.max + 1 })).toContain('sqlMaxConns = 101: must be a whole number from 1 to 100 (connections per pod)');
    expect(messageOf({ sqlMaxConnLifetimeSeconds: ORY_SQL_POOL_LIMITS.maxConnLifetimeSeconds.min })).toBe('');
    expect(messageOf({ sqlMaxConnLifetimeSeconds: 9 })).toContain('sqlMaxConnLifetimeSeconds = 9: must be whole seconds from 10 to 349');
    expect(messageOf({ kratos: { replicas: ORY_REPLICA_LIMITS.max } })).toBe('');
    expect(messageOf({ kratos: { replicas: 31 } })).toContain('kratos.replicas = 31: must be a whole number from 1 to 30');
  });

  it('reports every problem at once, before any construct exists', () => {
    const app = Testing.app();
    expect(() => new OryStack(app, { ...BASE_PROPS, keto: { replicas: -1 }, sqlMaxConns: 0 })).toThrow(/keto\.replicas = -1[^]*sqlMaxConns = 0/);
    expect(app.node.children).toHaveLength(0);
  });

  it('throws the libraries\' one ValidationError, naming the stack path and the problems the rules return', () => {
    const props = { ...BASE_PROPS, keto: { replicas: -1 }, ketoNamespaces: ['documents', 'documents'] };
    let error: unknown;
    try {
      new OryStack(Testing.app(), props);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe('ory');
    expect((error as ValidationError).problems).toEqual(oryStackPropProblems(props));
    expect((error as ValidationError).problems.map((p) => p.prop)).toEqual(['keto.replicas', 'ketoNamespaces']);
  });
});

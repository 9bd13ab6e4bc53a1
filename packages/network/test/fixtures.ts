import { Testing } from 'cdktf';
import { assert } from 'vitest';
import { NetworkStack, NetworkStackProps } from '../src';

/** The reference architecture's network layout. */
export const REFERENCE_PROPS: NetworkStackProps = {
  stateBackend: { type: 'local' },
  region: 'us-east-1',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  cockroachVpc: {
    cidr: '10.10.0.0/16',
    publicSubnetCidrs: ['10.10.0.0/24', '10.10.1.0/24', '10.10.2.0/24'],
    privateSubnetCidrs: ['10.10.10.0/24', '10.10.11.0/24', '10.10.12.0/24'],
  },
  oryVpc: {
    cidr: '10.20.0.0/16',
    publicSubnetCidrs: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24'],
    privateSubnetCidrs: ['10.20.16.0/20', '10.20.32.0/20', '10.20.48.0/20'],
  },
  privateZoneName: 'crdb-ory.internal',
  eksClusterName: 'ory',
};

export function synthNetwork(overrides: Partial<NetworkStackProps> = {}): Record<string, any> {
  const stack = new NetworkStack(Testing.app(), { ...REFERENCE_PROPS, ...overrides });
  return JSON.parse(Testing.synth(stack));
}

/** The resources of `type`, as [name, config] pairs. */
export function resources(json: Record<string, any>, type: string): Array<[string, any]> {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The first resource of `type` whose name starts with `prefix` (any, by default), as a [name, config] pair; fails the test when there is none. */
export function firstResource(json: Record<string, any>, type: string, prefix = ''): [string, any] {
  const found = resources(json, type).find(([name]) => name.startsWith(prefix));
  assert.exists(found, `a resource ${type}.${prefix}*`);
  return found;
}

export function ref(type: string, name: string, attribute = 'id'): string {
  return `\${${type}.${name}.${attribute}}`;
}

import { Testing } from 'cdktf';
import { NetworkStack, NetworkStackProps, type PlannedVpc } from '../src';

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

export function ref(type: string, name: string, attribute = 'id'): string {
  return `\${${type}.${name}.${attribute}}`;
}

/** The proposed defaults of docs/network.md ("Multi-region"): per region, the CockroachDB and Ory VPC blocks. */
export const MULTI_REGION_DEFAULTS = [
  { region: 'us-east-1', cockroach: '10.10.0.0/16', ory: '10.20.0.0/16' },
  { region: 'us-east-2', cockroach: '10.11.0.0/16', ory: '10.21.0.0/16' },
  { region: 'us-west-2', cockroach: '10.12.0.0/16', ory: '10.22.0.0/16' },
] as const;

/** The same six blocks as an address plan, under props named `<region>.<role>VpcCidr`. */
export const MULTI_REGION_PLAN: PlannedVpc[] = MULTI_REGION_DEFAULTS.flatMap(({ region, cockroach, ory }) => [
  { prop: `${region}.cockroachVpcCidr`, region, role: 'cockroach' as const, cidr: cockroach },
  { prop: `${region}.oryVpcCidr`, region, role: 'ory' as const, cidr: ory },
]);

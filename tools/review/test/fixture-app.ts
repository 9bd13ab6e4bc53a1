import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { ProductStack, StackReview, SynthesizedStackJson, defineOutputsContract, publishOutputs } from '@crdb-ory/core';
import { App, Fn } from 'cdktf';

/** A two-stack product in miniature: `net` publishes a contract, `db` and `broken` read it. */
export const NET_OUTPUTS = defineOutputsContract('net', {
  vpcId: { type: 'string', description: 'The VPC.', example: 'vpc-0a1b2c3d4e5f60001' },
  privateSubnetCidrs: { type: 'list', description: 'One CIDR per AZ.', example: ['10.10.10.0/24', '10.10.11.0/24', '10.10.12.0/24'] },
});

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
/** What the fixture's `net` stack publishes (the contract's example is 10.10.x). */
export const NET_CIDRS = ['10.30.10.0/24', '10.30.11.0/24', '10.30.12.0/24'];
const AZ_DATA = 'data.aws_availability_zones.available';
const BACKEND = { stateBackend: { type: 'local' } as const };

function awsStack(app: App, name: string): ProductStack {
  const stack = new ProductStack(app, name, BACKEND);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

function subnetsFromNet(stack: ProductStack): void {
  const net = stack.readUpstream(NET_OUTPUTS);
  const zones = new DataAwsAvailabilityZones(stack, 'available', { state: 'available' });
  AZS.forEach((_, index) => new Subnet(stack, `private-${index}`, { vpcId: net.vpcId, availabilityZone: Fn.element(zones.names, index), cidrBlock: Fn.element(net.privateSubnetCidrs, index) }));
}

/** Synthesizes the fixture app into `outdir`. */
export function synthFixtureApp(outdir: string): void {
  const app = new App({ outdir });
  const net = awsStack(app, 'net');
  const vpc = new Vpc(net, 'vpc', { cidrBlock: '10.10.0.0/16' });
  // Not the contract's example CIDRs: what `db` is mocked with must come from `net` as synthesized.
  publishOutputs(net, NET_OUTPUTS, { vpcId: vpc.id, privateSubnetCidrs: NET_CIDRS });
  subnetsFromNet(awsStack(app, 'db'));
  subnetsFromNet(awsStack(app, 'broken'));
  // The mocked provider returns no zones: this precondition stops the plan, as the eks stack's does when nobody can reach its API.
  const guarded = awsStack(app, 'guarded');
  const zones = new DataAwsAvailabilityZones(guarded, 'available', { state: 'available' });
  const stop = new Vpc(guarded, 'vpc', { cidrBlock: '10.40.0.0/16' });
  stop.addOverride('lifecycle.precondition', [{ condition: `\${length(${zones.fqn}.names) > 0}`, error_message: 'stops here by design' }]);
  const pki = new ProductStack(app, 'pki', BACKEND);
  new TlsProvider(pki, 'tls');
  new PrivateKey(pki, 'ca-key', { algorithm: 'RSA', rsaBits: 2048 });
  app.synth();
}

function subnetNames(json: SynthesizedStackJson): string[] {
  return Object.keys(json.resource?.['aws_subnet'] ?? {});
}

/** The mock provider returns an empty list of zones; the review supplies real-looking ones. */
const mockZones = () => ({ [AZ_DATA]: { names: AZS } });

/** Three subnets in three AZs, the first one with the CIDR the upstream contract's example gives. */
export const DB_REVIEW: StackReview = {
  stackName: 'db',
  upstream: [NET_OUTPUTS],
  overrideData: mockZones,
  assertions: (json) => [
    { condition: `length(distinct([${subnetNames(json).map((n) => `aws_subnet.${n}.availability_zone`).join(', ')}])) == 3`, errorMessage: 'three subnets in three distinct AZs' },
    { condition: `aws_subnet.${subnetNames(json)[0]}.cidr_block == "10.30.10.0/24"`, errorMessage: 'the first subnet takes the first CIDR the synthesized upstream publishes' },
    { condition: `aws_subnet.${subnetNames(json)[0]}.vpc_id == "vpc-0a1b2c3d4e5f60001"`, errorMessage: 'subnets live in the upstream VPC' },
  ],
};

/** A review whose assertion is false: the mocked apply must fail. */
export const BROKEN_REVIEW: StackReview = {
  stackName: 'broken',
  upstream: [NET_OUTPUTS],
  overrideData: mockZones,
  assertions: (json) => [
    { condition: `aws_subnet.${subnetNames(json)[0]}.cidr_block == "10.99.0.0/24"`, errorMessage: 'deliberately wrong expectation' },
    { condition: `aws_subnet.${subnetNames(json)[1]}.cidr_block == "10.30.11.0/24"`, errorMessage: 'a true expectation next to the wrong one' },
  ],
};

/** A stack whose plan must stop at a precondition by design: the review proves it stops there. */
export const GUARDED_REVIEW: StackReview = {
  stackName: 'guarded',
  upstream: [],
  expectedPlanFailures: (json) => Object.keys(json.resource?.['aws_vpc'] ?? {}).map((name) => `aws_vpc.${name}`),
  assertions: () => [{ condition: 'false', errorMessage: 'never applied: the plan stops first' }],
};
